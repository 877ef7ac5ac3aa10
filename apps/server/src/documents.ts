import { headingForName, nameFromHeading, parseMarkdown, printMarkdown } from '@syspat/markdown';
import {
  type DocumentEdge,
  DocumentError,
  type SyspatDocument,
  createDocument,
  parseDocument,
} from '@syspat/model';
import {
  applyModel,
  assertLayoutEditable,
  migrateDocument,
  patchModel,
  readModel,
  YdocError,
} from '@syspat/ydoc';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { documentTooNew, invalidImport, invalidStoredDocument } from './errors.ts';

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

/**
 * The schema check at an edge as an HTTP error: an import that fails it is refused before it
 * reaches a document (422), a stored document that fails it is not exported half-read (500).
 */
export function checkedDocument(
  model: unknown,
  edge: Exclude<DocumentEdge, 'input'>,
): SyspatDocument {
  try {
    return parseDocument(model, edge);
  } catch (err) {
    if (!(err instanceof DocumentError)) throw err;
    throw edge === 'import' ? invalidImport(err.message) : invalidStoredDocument(err.message);
  }
}

/** Markdown to a checked model (what the template does not know is kept, never dropped). */
export function importMarkdown(markdown: string): SyspatDocument {
  return checkedDocument(parseMarkdown(markdown), 'import');
}

/** The canonical markdown of a live document, read through the schema check. */
export function exportMarkdown(ydoc: Y.Doc): string {
  return printMarkdown(checkedDocument(readModel(ydoc), 'load'));
}

/**
 * Brings a document just loaded from storage to the current layout, with `origin` so that the
 * room stores and sends the migration like any server write (call it once the room tracks
 * updates). Never throws: a document it cannot migrate is logged and served as it is, and a
 * newer one is served for reading while its writes come from newer clients only.
 */
export function migrateLoadedDocument(
  ydoc: Y.Doc,
  origin: unknown,
  log: Pick<Logger, 'info' | 'warn' | 'error'>,
): 'current' | 'migrated' | 'newer' | 'failed' {
  try {
    const status = migrateDocument(ydoc, origin);
    if (status === 'migrated') log.info('document migrated to the current layout');
    if (status === 'newer')
      log.warn('document written by a newer syspat; this server will not change it');
    return status;
  } catch (err) {
    log.error({ err }, 'document could not be migrated; served as stored');
    return 'failed';
  }
}

/** Refuses (409) to change a document whose layout a newer syspat wrote. */
export function assertEditable(ydoc: Y.Doc): void {
  try {
    assertLayoutEditable(ydoc);
  } catch (err) {
    if (err instanceof YdocError) throw documentTooNew(err.message);
    throw err;
  }
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
