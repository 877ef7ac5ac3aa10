import { describe, expect, it } from 'vitest';
import {
  PALETTE,
  initialsOf,
  loadIdentity,
  saveIdentity,
  toSafeColor,
  toSafeName,
} from './identity.ts';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const values = new Map<string, string>();
  return { getItem: (k) => values.get(k) ?? null, setItem: (k, v) => void values.set(k, v) };
}

describe('identity', () => {
  it('accepts only #rrggbb colours and falls back to the palette otherwise', () => {
    expect(toSafeColor('#12abEF')).toBe('#12abEF');
    for (const bad of [
      'red;}</style><script>',
      '#fff',
      'rgb(0,0,0)',
      '#12345g',
      42,
      null,
      ' #123456',
    ]) {
      expect(PALETTE).toContain(toSafeColor(bad, 3));
    }
  });

  it('keeps names to one short line without control or bidi-override characters', () => {
    expect(toSafeName('  Ada\n\tLovelace ')).toBe('Ada Lovelace');
    expect(toSafeName('\u202eevil')).toBe('evil');
    expect(toSafeName('x'.repeat(100))).toHaveLength(40);
    expect(toSafeName(undefined)).toBe('Anonymous');
    expect(toSafeName('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });

  it('makes initials from the first and last word', () => {
    expect(initialsOf('ada lovelace')).toBe('AL');
    expect(initialsOf('Grace')).toBe('G');
  });

  it('round-trips through storage and rejects tampered entries', () => {
    const storage = memoryStorage();
    expect(loadIdentity(storage)).toBeNull();
    saveIdentity({ name: 'Ada', color: 'javascript:alert(1)' }, storage);
    const loaded = loadIdentity(storage);
    expect(loaded?.name).toBe('Ada');
    expect(PALETTE).toContain(loaded?.color);
    storage.setItem('syspat.identity', '{not json');
    expect(loadIdentity(storage)).toBeNull();
  });
});
