import { describe, expect, it } from 'vitest';
import { DOC_ID_PATTERN, newDocId, parseDocId } from './docId.ts';

describe('document ids', () => {
  it('are 22 unguessable base64url characters that match the grammar', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newDocId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(DOC_ID_PATTERN);
    expect([...ids][0]).toHaveLength(22);
  });

  it('are checked after decoding until stable (R10)', () => {
    expect(parseDocId('abc_DEF-123')).toBe('abc_DEF-123');
    expect(parseDocId('abc%5FDEF')).toBe('abc_DEF');
    for (const bad of [
      '..',
      '%2e%2e',
      '%252e%252e',
      '..%5C..%5C',
      'a/b',
      'a%2Fb',
      '%00',
      '%E2%80%AE',
      '',
      'a'.repeat(65),
      '%zz',
      'a b',
    ]) {
      expect(parseDocId(bad), bad).toBeUndefined();
    }
    expect(parseDocId('a'.repeat(64))).toBe('a'.repeat(64));
  });
});
