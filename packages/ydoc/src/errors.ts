/**
 * The errors this package throws, each with a stable code (the server maps them to HTTP
 * statuses in its error handler). Made by the factories below, never thrown as strings.
 */

export type YdocErrorCode = 'DOC_NOT_EMPTY' | 'PATH_NOT_FOUND' | 'NOT_A_LIST' | 'UNKNOWN_SECTION';

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
