import { patchModel } from '@syspat/ydoc';
import type { DocSession } from './DocSession.ts';

/** Export and import of the open document. */

/** A file name for a download: the title with anything odd replaced, ending in `.md`. */
export function markdownFileName(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\w\s.-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 80);
  return `${base === '' ? 'system-patterns' : base}.md`;
}

export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard !== undefined && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // http on a LAN address: no async clipboard; fall back to a selected textarea
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok)
    throw new Error(
      'The browser did not allow copying. Select the preview text and copy it instead.',
    );
}

/**
 * Applies a markdown file to the open document as a patch (one undoable step of this person):
 * only what differs is written, and edits others make meanwhile survive. The parser is loaded
 * on first use, so it is not part of the editor's initial download. Returns what the import
 * recognized, in one line.
 */
export async function importIntoDocument(session: DocSession, markdown: string): Promise<string> {
  const { importReport, parseMarkdown } = await import('./parseMarkdown.ts');
  const model = parseMarkdown(markdown);
  session.undoManager.stopCapturing();
  patchModel(session.ydoc, model, session.origin);
  session.undoManager.stopCapturing();
  return importReport(model).text;
}

export function readFileText(file: File): Promise<string> {
  return file.text();
}

/** Files we accept as markdown (by name or type). */
export const isMarkdownFile = (file: File): boolean =>
  /\.(md|markdown|txt)$/i.test(file.name) ||
  file.type === 'text/markdown' ||
  file.type === 'text/plain';
