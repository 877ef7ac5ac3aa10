import { describe, expect, it } from 'vitest';
import { isOrderKey, jitteredKeyBetween, keyBetween, keysBetween } from './orderKey.ts';

describe('order keys', () => {
  it('makes a key strictly between any two keys, and before the first and after the last', () => {
    let keys = [keyBetween(null, null)];
    for (let i = 0; i < 300; i++) {
      const at = (i * 7919) % (keys.length + 1);
      const key = keyBetween(keys[at - 1] ?? null, keys[at] ?? null);
      keys = [...keys.slice(0, at), key, ...keys.slice(at)];
    }
    expect(keys.every(isOrderKey)).toBe(true);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('spreads many keys evenly so that they stay short', () => {
    const keys = keysBetween(null, null, 10_000);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(10_000);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(4);
  });

  it('places keys between two existing keys', () => {
    const keys = keysBetween('A', 'B', 50);
    expect(keys.every((k) => k > 'A' && k < 'B' && isOrderKey(k))).toBe(true);
    expect([...keys].sort()).toEqual(keys);
  });

  it('jitters keys so that two people inserting at one place rarely collide, and stays in range', () => {
    const pairs: [string | null, string | null][] = [
      [null, null],
      ['A', 'B'],
      ['A', 'BV'],
      ['V', 'V1'],
      [null, '01'],
      ['zz', null],
    ];
    for (const [a, b] of pairs) {
      const keys = Array.from({ length: 200 }, () => jitteredKeyBetween(a, b));
      for (const key of keys) {
        expect(isOrderKey(key)).toBe(true);
        if (a !== null) expect(key > a).toBe(true);
        if (b !== null) expect(key < b).toBe(true);
      }
      expect(new Set(keys).size).toBeGreaterThan(150);
    }
  });

  it('refuses bounds that are out of order or not keys', () => {
    expect(() => keyBetween('B', 'A')).toThrow(RangeError);
    expect(() => keyBetween('A', 'A')).toThrow(RangeError);
    expect(() => keyBetween('A0', null)).toThrow(RangeError);
    expect(isOrderKey('')).toBe(false);
    expect(isOrderKey('a.b')).toBe(false);
  });
});
