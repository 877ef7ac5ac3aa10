/**
 * Fractional order keys: the display order of every list entry (card, row, step, ...) is its
 * `order` string compared as plain strings, so a move rewrites one key and never deletes or
 * copies the entry. A key is a base-62 fraction in (0, 1) written without its "0.": digits
 * `0-9A-Za-z` (ASCII order is numeric order) and never ending in `0`, so there is always room
 * for another key between any two different keys.
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;

const validKey = /^[0-9A-Za-z]*[1-9A-Za-z]$/;

/** Whether `key` is a key this module could have made. */
export function isOrderKey(key: unknown): key is string {
  return typeof key === 'string' && key.length <= 256 && validKey.test(key);
}

function digitAt(key: string, index: number): number {
  const char = key[index];
  return char === undefined ? 0 : DIGITS.indexOf(char);
}

/**
 * The shortest-ish key strictly between `a` and `b` (`''` for the start, `null` for the end).
 * Greenspan's midpoint algorithm from "Implementing Fractional Indexing".
 */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while (n < b.length && (a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const digitA = a.length > 0 ? digitAt(a, 0) : 0;
  const digitB = b !== null ? digitAt(b, 0) : BASE;
  if (digitB - digitA > 1) return DIGITS[Math.round((digitA + digitB) / 2)] ?? 'V';
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return (DIGITS[digitA] ?? '0') + midpoint(a.slice(1), null);
}

function assertOrdered(a: string | null, b: string | null): void {
  if (
    (a !== null && !isOrderKey(a)) ||
    (b !== null && !isOrderKey(b)) ||
    (a !== null && b !== null && a >= b)
  ) {
    throw new RangeError(`No order key between ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
  }
}

/** A key strictly between `a` and `b`; `null` means the start or the end of the list. */
export function keyBetween(a: string | null, b: string | null): string {
  assertOrdered(a, b);
  return midpoint(a ?? '', b);
}

/** `n` increasing keys strictly between `a` and `b`, as short as bisection makes them. */
export function keysBetween(a: string | null, b: string | null, n: number): string[] {
  assertOrdered(a, b);
  const keys: string[] = [];
  const fill = (low: string | null, high: string | null, count: number): void => {
    if (count <= 0) return;
    const middle = midpoint(low ?? '', high);
    const left = Math.floor((count - 1) / 2);
    fill(low, middle, left);
    keys.push(middle);
    fill(middle, high, count - 1 - left);
  };
  fill(a, b, n);
  return keys;
}

/**
 * A key strictly between `a` and `b` with two random digits at the end, so that two people
 * inserting at the same place at the same time almost never make equal keys (equal keys are
 * still ordered, by position in the Y.Array, and rewritten on the next insert between them).
 */
export function jitteredKeyBetween(
  a: string | null,
  b: string | null,
  random: () => number = Math.random,
): string {
  let key = keyBetween(a, b);
  // A suffix keeps `key + suffix < b` only when `key` is not a prefix of `b`; shorter prefixes
  // of `b` that are still above `a` are finitely many, so this ends.
  while (b !== null && b.startsWith(key)) key = keyBetween(a, key);
  const digit = () => DIGITS[1 + Math.floor(random() * (BASE - 1))] ?? 'V';
  return key + digit() + digit();
}
