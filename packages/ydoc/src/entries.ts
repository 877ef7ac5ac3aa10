import * as Y from 'yjs';
import { isOrderKey, jitteredKeyBetween, keysBetween } from './orderKey.ts';
import type { YArray, YMap } from './layout.ts';

/**
 * The ordered lists of the layout (`List<T>` in layout.ts): a Y.Array of Y.Maps, shown in the
 * order of their `order` keys, ties and missing keys broken by position in the Y.Array.
 */

export interface Entry {
  readonly map: YMap;
  /** Position in the Y.Array. */
  readonly index: number;
  /** The order key, `''` when missing or not a key (sorts first). */
  readonly order: string;
}

/** The Y.Map entries of a list in display order; anything else in the Y.Array is skipped. */
export function entriesOf(list: YArray): Entry[] {
  const entries: Entry[] = [];
  list.forEach((value, index) => {
    if (value instanceof Y.Map) {
      const map = value as YMap;
      const order = map.get('order');
      entries.push({ map, index, order: isOrderKey(order) ? order : '' });
    }
  });
  entries.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.index - b.index));
  return entries;
}

const MAX_ID_LENGTH = 64;

export function isEntryId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH;
}

/** The entry's id; an entry left without one reads as `missing-{position}`, deterministically. */
export function entryIdOf(map: YMap, position: number): string {
  const id = map.get('id');
  return isEntryId(id) ? id : `missing-${position}`;
}

/** Whether every entry has a key and the keys strictly increase, so a new key fits anywhere. */
export function hasUsableOrder(entries: readonly Entry[]): boolean {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry === undefined || entry.order === '') return false;
    const previous = entries[i - 1];
    if (previous !== undefined && previous.order >= entry.order) return false;
  }
  return true;
}

/**
 * Gives every entry a fresh key in its current display order, when some keys are missing or
 * equal (only after concurrent inserts at one place made the same key, or a foreign writer).
 */
export function renumber(entries: readonly Entry[]): Entry[] {
  const keys = keysBetween(null, null, entries.length);
  return entries.map((entry, i) => {
    const order = keys[i] ?? '';
    if (entry.map.get('order') !== order) entry.map.set('order', order);
    return { ...entry, order };
  });
}

/** An order key for a new or moved entry placed at `position` of `entries` (the list without it). */
export function keyAt(entries: readonly Entry[], position: number): string {
  const usable = hasUsableOrder(entries) ? entries : renumber(entries);
  const before = usable[position - 1]?.order ?? null;
  const after = usable[position]?.order ?? null;
  return jitteredKeyBetween(before, after);
}

/**
 * Where in the Y.Array to put a new entry shown at `position`: just before the entry it will
 * be shown before, so that an unmoved list keeps its Y.Array in display order.
 */
export function physicalIndexAt(list: YArray, entries: readonly Entry[], position: number): number {
  const next = entries[position];
  if (next !== undefined) return next.index;
  const last = entries[entries.length - 1];
  return last === undefined ? list.length : last.index + 1;
}

/** Deletes the given Y.Array positions, highest first, a run of neighbours in one call. */
export function deleteIndexes(list: YArray, indexes: readonly number[]): void {
  const sorted = [...indexes].sort((a, b) => b - a);
  let i = 0;
  while (i < sorted.length) {
    let low = sorted[i] ?? 0;
    const high = low;
    i++;
    while (i < sorted.length && sorted[i] === low - 1) {
      low--;
      i++;
    }
    list.delete(low, high - low + 1);
  }
}
