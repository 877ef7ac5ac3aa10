/** Split point: the markdown parser (remark) loads only when someone imports a file. */
export { importReport, nameFromHeading, parseMarkdown } from '@syspat/markdown';
