/** Split point: the markdown parser (remark) loads only when someone imports a file. */
export { parseMarkdown } from '@syspat/markdown';
