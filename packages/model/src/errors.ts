/**
 * The errors this package throws, each with a stable code; their messages name the problem and
 * the fix. Made by the factories below, never thrown as strings.
 */

export type DocumentErrorCode = 'INVALID_DOCUMENT' | 'NEWER_VERSION' | 'NO_MIGRATION';

/** Where a document crossed into the program, which decides the advice in an error. */
export type DocumentEdge = 'import' | 'load' | 'input';

export interface DocumentIssue {
  /** Dotted path into the document, e.g. `sections.components.blocks.cards.cards.0.fields`. */
  readonly path: string;
  readonly message: string;
}

export class DocumentError extends Error {
  readonly code: DocumentErrorCode;
  readonly issues: readonly DocumentIssue[];

  constructor(code: DocumentErrorCode, message: string, issues: readonly DocumentIssue[] = []) {
    super(message);
    this.name = 'DocumentError';
    this.code = code;
    this.issues = issues;
  }
}

const WHAT: Record<DocumentEdge, string> = {
  import: 'The document made from the imported markdown',
  load: 'The stored document',
  input: 'The document',
};

const FIX: Record<DocumentEdge, string> = {
  import:
    'this is a bug in the markdown import, not in your file; report it with the file, and ' +
    'meanwhile import a copy without the part named',
  load: 'restore the document from a backup, or report it with the server log',
  input: 'correct the document so that it matches the schema of this syspat version',
};

export function invalidDocument(
  edge: DocumentEdge,
  issues: readonly DocumentIssue[],
): DocumentError {
  const [first] = issues;
  const where = first === undefined ? '' : ` at ${first.path || '(top level)'}: ${first.message}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problems)` : '';
  return new DocumentError(
    'INVALID_DOCUMENT',
    `${WHAT[edge]} is not valid${where}${more}. Fix: ${FIX[edge]}.`,
    issues,
  );
}

export function newerVersion(edge: DocumentEdge, version: number, known: number): DocumentError {
  return new DocumentError(
    'NEWER_VERSION',
    `${WHAT[edge]} has model version ${version}, newer than this syspat knows (${known}). ` +
      'Fix: upgrade syspat to open it; an older version must not change it.',
  );
}

export function noMigration(edge: DocumentEdge, from: number): DocumentError {
  return new DocumentError(
    'NO_MIGRATION',
    `${WHAT[edge]} has model version ${from}, which this syspat cannot migrate. ` +
      'Fix: open it with the syspat version that wrote it and export it as markdown, then import that.',
  );
}
