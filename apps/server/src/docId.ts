import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** The one grammar for document ids, checked after all URL decoding (reliability R10). */
export const DOC_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const docIdSchema = z.string().regex(DOC_ID_PATTERN);

/** A new unguessable id: 16 random bytes as 22 base64url characters (128 bits). */
export function newDocId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Returns the id when `raw` (a path segment, possibly still percent-encoded) decodes to a valid
 * id, else undefined. Decodes until stable, so `%252e` cannot smuggle a `.` past the check;
 * the grammar has no `%`, so anything left encoded fails.
 */
export function parseDocId(raw: string): string | undefined {
  let value = raw;
  for (let i = 0; i < 4; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      return undefined;
    }
    if (decoded === value) break;
    value = decoded;
  }
  return DOC_ID_PATTERN.test(value) ? value : undefined;
}
