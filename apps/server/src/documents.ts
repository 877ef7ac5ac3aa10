import { headingForName, nameFromHeading, parseMarkdown, printMarkdown } from '@syspat/markdown';
import { createDocument, type SyspatDocument } from '@syspat/model';
import { applyModel, patchModel, readModel } from '@syspat/ydoc';
import * as Y from 'yjs';

/**
 * The document side of the REST API: template, import and export, through the shared packages.
 * Everything here is pure; storage and rooms are the caller's business.
 */

const MAX_TITLE_LENGTH = 200;

/** The initial Yjs state (one update) of a new document holding `model`. */
export function toInitialState(model: SyspatDocument): Uint8Array {
  const ydoc = new Y.Doc();
  try {
    applyModel(ydoc, model);
    return Y.encodeStateAsUpdate(ydoc);
  } finally {
    ydoc.destroy();
  }
}

/** The unfilled template. */
export function templateModel(): SyspatDocument {
  return createDocument();
}

/** Markdown to the model (never throws: what the template does not know is kept). */
export function importMarkdown(markdown: string): SyspatDocument {
  return parseMarkdown(markdown);
}

/** The canonical markdown of a live document. */
export function exportMarkdown(ydoc: Y.Doc): string {
  return printMarkdown(readModel(ydoc));
}

/** Applies `model` to a live document as the smallest set of changes (one transaction). */
export function patchFromModel(ydoc: Y.Doc, model: SyspatDocument, origin: unknown): void {
  patchModel(ydoc, model, origin);
}

/** A listing title: the given one, else the name the markdown H1 gives, else "Untitled". */
export function documentTitle(
  given: string | undefined,
  model: SyspatDocument | undefined,
): string {
  const candidate = given ?? nameFromHeading(model?.title ?? null) ?? '';
  const clean = candidate.replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE_LENGTH);
  return clean === '' ? 'Untitled' : clean;
}

/** The model with its `#` heading naming it `name`: the H1 is the one source of a document's name. */
export function withName(model: SyspatDocument, name: string): SyspatDocument {
  return { ...model, title: headingForName(name, model.title) };
}

/** Renames a live document by rewriting its `#` heading (the smallest change). */
export function renameHeading(ydoc: Y.Doc, name: string, origin: unknown): void {
  patchModel(ydoc, withName(readModel(ydoc), name), origin);
}
