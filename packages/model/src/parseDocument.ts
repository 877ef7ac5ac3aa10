import type { z } from 'zod';
import { documentSchema } from './documentSchema.ts';
import { invalidDocument, type DocumentEdge } from './errors.ts';
import type { SyspatDocument } from './types.ts';

const pathOf = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/**
 * Checks a document with `documentSchema` where it crosses into the program (a markdown import
 * before it is applied, a stored document when it is read), and returns it typed. Throws a
 * `DocumentError` (INVALID_DOCUMENT) that names the first bad place, how many there are, and the
 * fix for that edge.
 */
export function parseDocument(
  input: unknown,
  edge: DocumentEdge,
  schema: z.ZodType<SyspatDocument> = documentSchema,
): SyspatDocument {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidDocument(
    edge,
    result.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })),
  );
}
