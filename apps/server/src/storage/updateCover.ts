import * as Y from 'yjs';
import { checkUpdate } from '@syspat/protocol';

/** Per client, sorted and merged half-open clock ranges `[start, end)`. */
type Ranges = Map<number, [number, number][]>;

/**
 * What a Yjs update holds, as clock ranges: the structs it carries and the deletions it records.
 * Update B holds everything update A holds exactly when A's structs and A's deletions lie in B's
 * ranges; applying A after B then changes nothing, so A may be dropped once B is stored.
 */
export interface UpdateCover {
  readonly structs: Ranges;
  readonly deletes: Ranges;
}

function addRange(ranges: Ranges, client: number, start: number, end: number): void {
  if (end <= start) return;
  let list = ranges.get(client);
  if (list === undefined) ranges.set(client, (list = []));
  list.push([start, end]);
}

function normalize(ranges: Ranges): Ranges {
  for (const [client, list] of ranges) {
    list.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const range of list) {
      const last = merged[merged.length - 1];
      if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push([range[0], range[1]]);
    }
    ranges.set(client, merged);
  }
  return ranges;
}

/**
 * The cover of an update, or undefined when the bytes are not a well-formed update (a corrupt
 * row covers nothing and is covered by nothing, so it is never deleted on a guess). The byte
 * walker runs first because `Y.decodeUpdate` can hang or allocate without bound on crafted input.
 */
export function coverOf(update: Uint8Array): UpdateCover | undefined {
  if (checkUpdate(update) !== undefined) return undefined;
  let decoded;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return undefined;
  }
  const structs: Ranges = new Map();
  for (const struct of decoded.structs) {
    // a Skip is a gap the update does not hold, not content
    if (struct instanceof Y.Skip) continue;
    addRange(structs, struct.id.client, struct.id.clock, struct.id.clock + struct.length);
  }
  const deletes: Ranges = new Map();
  for (const [client, items] of decoded.ds.clients) {
    for (const item of items) addRange(deletes, client, item.clock, item.clock + item.len);
  }
  return { structs: normalize(structs), deletes: normalize(deletes) };
}

function rangesContain(outer: Ranges, inner: Ranges): boolean {
  for (const [client, list] of inner) {
    const available = outer.get(client) ?? [];
    let i = 0;
    for (const [start, end] of list) {
      while (i < available.length && available[i]![1] < end) i++;
      const range = available[i];
      if (range === undefined || range[0] > start) return false;
    }
  }
  return true;
}

/** True when `outer` holds every struct and every deletion of `inner`. */
export function coverContains(outer: UpdateCover, inner: UpdateCover): boolean {
  return rangesContain(outer.structs, inner.structs) && rangesContain(outer.deletes, inner.deletes);
}
