import * as Y from 'yjs';
import { deleteIndexes, entriesOf, entryIdOf, hasUsableOrder, isEntryId } from './entries.ts';
import { asArray, type YArray, type YMap } from './layout.ts';
import { jitteredKeyBetween, keysBetween } from './orderKey.ts';
import { toYList } from './writeModel.ts';

/**
 * Patching one list of entries (cards, rows, steps, items, extra fields, columns, sections,
 * blocks) in place: pairing new entries with live ones, deleting leftovers, inserting new ones,
 * and reaching the order by rewriting the fewest order keys. `patchModel` supplies a codec per
 * kind of entry.
 */

export interface ListCodec<T extends { readonly id: string }> {
  /** What identifies an entry when ids do not match (see `patchModel`). */
  readonly key: (value: T) => string;
  readonly liveKey: (map: YMap) => string;
  readonly build: (value: T, order: string) => YMap;
  readonly patch: (map: YMap, value: T) => void;
}

/** `null` deletes the list (only lists that may be null get it); a missing list is created. */
export function patchChildList<T extends { readonly id: string }>(
  parent: YMap,
  key: string,
  values: readonly T[] | null,
  codec: ListCodec<T>,
): void {
  if (values === null) {
    if (parent.has(key)) parent.delete(key);
    return;
  }
  const live = asArray(parent.get(key));
  if (live === null) parent.set(key, toYList(values, codec.build));
  else patchList(live, values, codec);
}

const NOT_PAIRED = -1;

/** For each target, the display position of the live entry it becomes, or `NOT_PAIRED`. */
function pairEntries<T extends { readonly id: string }>(
  liveIds: readonly string[],
  maps: readonly YMap[],
  targets: readonly T[],
  codec: ListCodec<T>,
): number[] {
  const used = new Array<boolean>(liveIds.length).fill(false);
  const byId = new Map<string, number>();
  liveIds.forEach((id, position) => {
    if (!byId.has(id)) byId.set(id, position);
  });
  const pairs = targets.map((target) => {
    const position = byId.get(target.id);
    if (position === undefined || used[position] === true) return NOT_PAIRED;
    used[position] = true;
    return position;
  });
  if (!pairs.includes(NOT_PAIRED) || !used.includes(false)) return pairs;

  // Fallback for ids the list does not have: an equal content key, first come first served.
  const byKey = new Map<string, number[]>();
  maps.forEach((map, position) => {
    if (used[position] === true) return;
    const key = codec.liveKey(map);
    const queue = byKey.get(key);
    if (queue === undefined) byKey.set(key, [position]);
    else queue.push(position);
  });
  targets.forEach((target, index) => {
    if (pairs[index] !== NOT_PAIRED || byId.has(target.id)) return;
    const queue = byKey.get(codec.key(target));
    const position = queue?.shift();
    if (position === undefined) return;
    used[position] = true;
    pairs[index] = position;
  });
  // Then the leftovers between the same two paired neighbours, in order.
  let index = 0;
  while (index < targets.length) {
    if (pairs[index] !== NOT_PAIRED) {
      index++;
      continue;
    }
    let end = index;
    while (end < targets.length && pairs[end] === NOT_PAIRED) end++;
    const low = index > 0 ? (pairs[index - 1] ?? -1) : -1;
    const high = end < targets.length ? (pairs[end] ?? liveIds.length) : liveIds.length;
    let position = low + 1;
    for (let i = index; i < end; i++) {
      const target = targets[i];
      if (target === undefined || byId.has(target.id)) continue;
      while (position < high && used[position] === true) position++;
      if (position >= high) break;
      used[position] = true;
      pairs[i] = position;
      position++;
    }
    index = end;
  }
  return pairs;
}

/** Indexes into `values` of one longest strictly increasing subsequence. */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(values.length).fill(-1);
  values.forEach((value, i) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((values[tails[middle] ?? 0] ?? 0) < value) low = middle + 1;
      else high = middle;
    }
    previous[i] = low > 0 ? (tails[low - 1] ?? -1) : -1;
    tails[low] = i;
  });
  const result = new Set<number>();
  let at = tails[tails.length - 1] ?? -1;
  while (at >= 0) {
    result.add(at);
    at = previous[at] ?? -1;
  }
  return result;
}

function patchList<T extends { readonly id: string }>(
  list: YArray,
  targets: readonly T[],
  codec: ListCodec<T>,
): void {
  const entries = entriesOf(list);
  const maps = entries.map((e) => e.map);
  const liveIds = entries.map((e, position) => entryIdOf(e.map, position));
  const pairs = pairEntries(liveIds, maps, targets, codec);

  // Order keys: entries of a longest run already in display order keep theirs; the others get
  // keys between their neighbours in that run.
  const usable = hasUsableOrder(entries);
  const pairedIndexes = targets.flatMap((_, index) => (pairs[index] === NOT_PAIRED ? [] : [index]));
  const inRun = longestIncreasing(pairedIndexes.map((index) => pairs[index] ?? 0));
  const anchors = new Set(usable ? [...inRun].map((i) => pairedIndexes[i] ?? -1) : []);
  const orderOf = (index: number): string => entries[pairs[index] ?? NOT_PAIRED]?.order ?? '';
  const keys: string[] = new Array<string>(targets.length).fill('');
  let low: string | null = null;
  let index = 0;
  while (index < targets.length) {
    if (anchors.has(index)) {
      low = orderOf(index);
      keys[index] = low;
      index++;
      continue;
    }
    let end = index;
    while (end < targets.length && !anchors.has(end)) end++;
    const high = end < targets.length ? orderOf(end) : null;
    const spread = keysBetween(low, high, end - index);
    // In a list with usable keys, new keys get jitter as the editing helpers' do, so two
    // replicas patching at one place at once rarely make equal keys. A list being renumbered
    // gets the same keys on every replica instead.
    let previous = low;
    spread.forEach((key, offset) => {
      const next = spread[offset + 1] ?? high;
      keys[index + offset] = usable ? jitteredKeyBetween(previous, next) : key;
      previous = keys[index + offset] ?? key;
    });
    index = end;
  }

  // Delete leftovers (and anything in the Y.Array that is not an entry).
  const used = new Set(pairs.filter((p) => p !== NOT_PAIRED));
  const doomed: number[] = [];
  entries.forEach((entry, position) => {
    if (!used.has(position)) doomed.push(entry.index);
  });
  list.forEach((value, i) => {
    if (!(value instanceof Y.Map)) doomed.push(i);
  });
  deleteIndexes(list, doomed);

  // Patch the kept entries in place.
  targets.forEach((target, i) => {
    const position = pairs[i] ?? NOT_PAIRED;
    const map = maps[position];
    if (map === undefined) return;
    if (!isEntryId(map.get('id'))) map.set('id', target.id);
    const key = keys[i] ?? '';
    if (map.get('order') !== key) map.set('order', key);
    codec.patch(map, target);
  });

  // Insert the new ones, each run right after the Y.Array place of the entry it follows.
  const physical = new Map<YMap, number>();
  list.forEach((value, i) => {
    if (value instanceof Y.Map) physical.set(value as YMap, i);
  });
  const runs: { at: number; maps: YMap[] }[] = [];
  let after = 0;
  let run: { at: number; maps: YMap[] } | null = null;
  targets.forEach((target, i) => {
    const map = maps[pairs[i] ?? NOT_PAIRED];
    if (map !== undefined) {
      after = (physical.get(map) ?? -1) + 1;
      run = null;
      return;
    }
    if (run === null) {
      run = { at: after, maps: [] };
      runs.push(run);
    }
    run.maps.push(codec.build(target, keys[i] ?? ''));
  });
  runs.sort((a, b) => b.at - a.at);
  for (const { at, maps: inserted } of runs) list.insert(at, inserted);
}
