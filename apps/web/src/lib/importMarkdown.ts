import { importDoc, titleFromFileName, type ImportedDoc } from './api.ts';
import { showToast } from './toasts.ts';

/**
 * Every import path of the list page (file picker, drop, paste) goes through here, so all name
 * a document the same way and all say what the import recognized.
 */

/**
 * The name to send for a file: none when its `#` heading names it (the server takes the name
 * from there), else the file name. The parser is loaded only when someone imports.
 */
async function titleFor(
  markdown: string,
  fileName: string | undefined,
): Promise<string | undefined> {
  if (fileName === undefined) return undefined;
  const { nameFromHeading, parseMarkdown } = await import('../editor/parseMarkdown.ts');
  return nameFromHeading(parseMarkdown(markdown).title) === null
    ? titleFromFileName(fileName)
    : undefined;
}

/** Shows what an import recognized; long enough to read, dismissable. */
export function showImportReport(what: string, report: string | undefined): void {
  showToast({
    message: report === undefined ? `Imported ${what}` : `Imported ${what}: ${report}`,
    timeoutMs: 15_000,
  });
}

export async function importMarkdown(markdown: string, fileName?: string): Promise<ImportedDoc> {
  const doc = await importDoc(markdown, await titleFor(markdown, fileName));
  showImportReport(`“${doc.title}”`, doc.report?.text);
  return doc;
}
