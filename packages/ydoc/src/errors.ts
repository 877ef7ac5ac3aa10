/**
 * The errors this package throws, each with a stable code (the server maps them to HTTP
 * statuses in its error handler). Made by the factories below, never thrown as strings.
 */

export type YdocErrorCode =
  | 'DOC_NOT_EMPTY'
  | 'PATH_NOT_FOUND'
  | 'NOT_A_LIST'
  | 'UNKNOWN_SECTION'
  | 'NEWER_LAYOUT'
  | 'NO_LAYOUT_MIGRATION';

export class YdocError extends Error {
  readonly code: YdocErrorCode;

  constructor(code: YdocErrorCode, message: string) {
    super(message);
    this.name = 'YdocError';
    this.code = code;
  }
}

export function docNotEmpty(): YdocError {
  return new YdocError(
    'DOC_NOT_EMPTY',
    'applyModel needs an empty Y.Doc; use patchModel to change a live document',
  );
}

export function pathNotFound(path: readonly string[]): YdocError {
  return new YdocError('PATH_NOT_FOUND', `Nothing at ${path.join('.')} in this document`);
}

export function notAList(path: readonly string[]): YdocError {
  return new YdocError('NOT_A_LIST', `${path.join('.')} does not name a list of entries`);
}

export function unknownSection(sectionId: string, blockKind: string): YdocError {
  return new YdocError(
    'UNKNOWN_SECTION',
    `The template has no ${blockKind} block in section "${sectionId}"`,
  );
}

export function newerLayout(version: number, known: number): YdocError {
  return new YdocError(
    'NEWER_LAYOUT',
    `This document was written by a newer syspat (layout ${version}; this one knows ${known}), ` +
      'so it is read-only here. Fix: upgrade syspat to edit it.',
  );
}

export function noLayoutMigration(from: number): YdocError {
  return new YdocError(
    'NO_LAYOUT_MIGRATION',
    `No migration from document layout ${from}. Fix: open the document with the syspat ` +
      'version that wrote it and export it as markdown, then import that.',
  );
}
