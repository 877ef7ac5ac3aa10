import * as encoding from 'lib0/encoding';
import { Content, DepSlot, NO_DEP, walkUpdate } from './walkUpdate.ts';

/**
 * Cuts one Yjs update (v1 encoding) into an ordered list of smaller v1 updates, so that a big
 * document can be loaded with one `Y.applyUpdate` per chunk, yielding to the event loop between
 * chunks, instead of one call that blocks for the whole document.
 *
 * Applying the chunks in order to an empty doc gives the same document as applying the whole
 * update. Struct bytes are copied verbatim (v1 structs carry no state between them), so a chunk
 * only needs new section headers: per client a struct count, the client id and the clock of its
 * first struct. The delete set travels in the last chunk, after every struct it can refer to.
 *
 * The order of structs across chunks matters for speed, not for correctness: Yjs parks a struct
 * whose origin, right origin or parent is not there yet (`store.pendingStructs`) together with
 * every later struct of its client, and re-merges that pending update on every following
 * `applyUpdate`, which for a big document costs a re-encode of the parked part per chunk. So the
 * structs are emitted in a causal order: clients by decreasing size (the import client of a big
 * document first, in clock order), and before a struct whose dependency on another client is not
 * emitted yet, that client's structs up to the dependency are pulled in first (the walk Yjs's own
 * `integrateStructs` does with its stack, done once here on bytes). Every prefix of that order is
 * causally closed, so no chunk leaves anything pending unless the whole update would (a
 * dependency outside the update, or malformed data with a cycle: those are emitted as they come
 * and Yjs parks them exactly as it would when applying the whole update).
 *
 * An update holding Y.Text formatting (Format content) is never split. After every remote
 * transaction Yjs deletes format markers it finds redundant in the text as it is at that moment
 * (`cleanupYTextAfterTransaction`), so a text that is formatted in one chunk and completed by
 * concurrent inserts in a later chunk can lose markers that a whole load keeps: the result
 * depends on the cut, which no order of whole clients avoids. syspat never formats text, so its
 * documents always split; a formatted one loads in one piece as before.
 */

/** Origin, right origin and parent item: the ids another client's struct can depend on. */
const DEP_SLOTS = [DepSlot.Origin, DepSlot.RightOrigin, DepSlot.Parent] as const;
const DEPS_PER_STRUCT = DEP_SLOTS.length;

interface Section {
  client: number;
  /** Index of its first struct in the flat struct arrays, and one past its last. */
  first: number;
  end: number;
  /** Byte offset one past its last struct. */
  byteEnd: number;
  /** Clock one past its last struct. */
  endClock: number;
  /** How many of its structs carry Format content. */
  formatStructs: number;
}

/** What the walk learns about an update: enough to copy any run of a client's structs. */
interface Layout {
  sections: Section[];
  /** Per struct: byte offset of its info byte, its first clock. */
  byteStart: number[];
  clock: number[];
  /** Per struct, DEPS_PER_STRUCT (client, clock) pairs on other clients; NO_DEP when absent. */
  depClient: number[];
  depClock: number[];
  /** Byte offset where the delete set starts. */
  dsStart: number;
  /** Structs declared by the update, including sections that Yjs would discard. */
  declaredStructs: number;
}

/** Walks `update` once, checking it and recording its layout; throws the reason if malformed. */
function readLayout(update: Uint8Array): Layout {
  const layout: Layout = {
    sections: [],
    byteStart: [],
    clock: [],
    depClient: [],
    depClock: [],
    dsStart: 0,
    declaredStructs: 0,
  };
  let current: Section | undefined;
  const problem = walkUpdate(update, {
    section(client, _clock, structs) {
      const first = layout.byteStart.length;
      current = { client, first, end: first + structs, byteEnd: 0, endClock: 0, formatStructs: 0 };
      layout.sections.push(current);
      layout.declaredStructs += structs;
    },
    struct(start, info, clock, _length, deps) {
      layout.byteStart.push(start);
      layout.clock.push(clock);
      const self = current?.client;
      for (const slot of DEP_SLOTS) {
        const client = deps[slot] ?? NO_DEP;
        // A struct's dependencies on its own client are met by clock order.
        const keep = client !== NO_DEP && client !== self;
        layout.depClient.push(keep ? client : NO_DEP);
        layout.depClock.push(keep ? (deps[slot + 1] ?? 0) : NO_DEP);
      }
      if (current !== undefined && (info & 0x1f) === Content.Format) current.formatStructs++;
    },
    sectionEnd(end, clock) {
      if (current === undefined) return;
      current.byteEnd = end;
      current.endClock = clock;
    },
    deleteSet(start) {
      layout.dsStart = start;
    },
  });
  if (problem !== undefined) throw new Error(problem);
  return layout;
}

/**
 * Yjs keeps only the last section of a client that appears twice in one update (it overwrites
 * the first one's structs), so the split does the same.
 */
function lastSectionPerClient(sections: Section[]): Section[] {
  const byClient = new Map<number, Section>();
  for (const section of sections) {
    byClient.delete(section.client);
    byClient.set(section.client, section);
  }
  return [...byClient.values()];
}

/** Orders every struct so that each prefix is causally closed (see the module comment). */
function causalOrder(layout: Layout, sections: Section[]): number[] {
  const sectionOf = new Map<number, number>();
  sections.forEach((section, i) => sectionOf.set(section.client, i));
  const next = sections.map((s) => s.first);
  // the clock up to which a client's structs are emitted: what getState() will say in the doc
  const state = sections.map((s) => (s.first < s.end ? (layout.clock[s.first] ?? 0) : 0));
  const pulling = sections.map(() => false);
  const order: number[] = [];

  const roots = sections
    .map((_, i) => i)
    .sort((a, b) => {
      const size = (i: number) => (sections[i]?.end ?? 0) - (sections[i]?.first ?? 0);
      return size(b) - size(a) || (sections[b]?.client ?? 0) - (sections[a]?.client ?? 0);
    });
  // Iterative so that a long dependency chain cannot overflow the call stack; a client already
  // being pulled is never pulled again, so the stack holds each client at most once.
  const stack: { section: number; until: number }[] = [];
  for (const root of roots) {
    stack.push({ section: root, until: Infinity });
    pulling[root] = true;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      const s = top.section;
      const section = sections[s];
      const i = next[s] ?? 0;
      if (section === undefined || i >= section.end || (state[s] ?? 0) > top.until) {
        pulling[s] = false;
        stack.pop();
        continue;
      }
      let pulled = false;
      for (let k = i * DEPS_PER_STRUCT; k < (i + 1) * DEPS_PER_STRUCT && !pulled; k++) {
        const client = layout.depClient[k] ?? NO_DEP;
        if (client === NO_DEP) continue;
        const depClock = layout.depClock[k] ?? 0;
        const dep = sectionOf.get(client);
        if (dep === undefined || pulling[dep]) continue; // outside the update, or a cycle
        if (depClock < (state[dep] ?? 0) || depClock >= (sections[dep]?.endClock ?? 0)) continue;
        stack.push({ section: dep, until: depClock });
        pulling[dep] = true;
        pulled = true;
      }
      if (pulled) continue;
      order.push(i);
      next[s] = i + 1;
      state[s] = i + 1 < section.end ? (layout.clock[i + 1] ?? 0) : section.endClock;
    }
  }
  return order;
}

/** Encodes one chunk: the given structs (a window of the causal order) and a delete set. */
function encodeChunk(
  update: Uint8Array,
  layout: Layout,
  sectionOfStruct: Int32Array,
  sections: Section[],
  window: number[],
  deleteSet: Uint8Array,
): Uint8Array {
  // Within a window a client's structs are consecutive in its clock order, so one run each.
  const runs = new Map<number, { first: number; last: number }>();
  for (const i of window) {
    const s = sectionOfStruct[i] ?? 0;
    const run = runs.get(s);
    if (run === undefined) runs.set(s, { first: i, last: i });
    else run.last = i;
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, runs.size);
  for (const [s, { first, last }] of runs) {
    const section = sections[s];
    if (section === undefined) continue;
    const byteEnd = last + 1 < section.end ? (layout.byteStart[last + 1] ?? 0) : section.byteEnd;
    encoding.writeVarUint(encoder, last - first + 1);
    encoding.writeVarUint(encoder, section.client);
    encoding.writeVarUint(encoder, layout.clock[first] ?? 0);
    encoding.writeUint8Array(encoder, update.subarray(layout.byteStart[first], byteEnd));
  }
  encoding.writeUint8Array(encoder, deleteSet);
  return encoding.toUint8Array(encoder);
}

const EMPTY_DELETE_SET = new Uint8Array([0]);

/**
 * Splits a v1 update into v1 updates of at most `maxStructsPerChunk` structs each (a struct is
 * never cut), to be applied in order to an empty doc. An update that is already small enough, or
 * that holds text formatting (see the module comment), comes back as is, as the only element.
 * Throws an Error whose message is the reason when the update is malformed (the reason
 * `checkUpdate` gives, or that a string is not UTF-8, which Yjs would refuse too).
 */
export function splitUpdate(update: Uint8Array, maxStructsPerChunk: number): Uint8Array[] {
  return splitAndCount(update, maxStructsPerChunk).chunks;
}

/** splitUpdate, plus the number of structs the update holds (what applying it will decode). */
export function splitAndCount(
  update: Uint8Array,
  maxStructsPerChunk: number,
): { chunks: Uint8Array[]; structs: number } {
  if (!Number.isSafeInteger(maxStructsPerChunk) || maxStructsPerChunk < 1) {
    throw new RangeError(
      `maxStructsPerChunk must be a positive integer, got ${maxStructsPerChunk}`,
    );
  }
  const layout = readLayout(update);
  const structs = layout.declaredStructs;
  if (structs <= maxStructsPerChunk) return { chunks: [update], structs };

  const sections = lastSectionPerClient(layout.sections);
  if (sections.some((section) => section.formatStructs > 0)) return { chunks: [update], structs };
  const sectionOfStruct = new Int32Array(layout.byteStart.length);
  sections.forEach((section, s) => sectionOfStruct.fill(s, section.first, section.end));
  const order = causalOrder(layout, sections);
  const deleteSet = update.subarray(layout.dsStart);
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < order.length || chunks.length === 0; start += maxStructsPerChunk) {
    const window = order.slice(start, start + maxStructsPerChunk);
    const last = start + maxStructsPerChunk >= order.length;
    const ds = last ? deleteSet : EMPTY_DELETE_SET;
    chunks.push(encodeChunk(update, layout, sectionOfStruct, sections, window, ds));
  }
  return { chunks, structs };
}
