import * as decoding from 'lib0/decoding';

/**
 * The one walk over the bytes of a Yjs update (v1 encoding): the guard that runs before
 * `Y.applyUpdate` (`checkUpdate`) and the cutter that splits big documents (`splitUpdate`) both
 * read updates through it.
 *
 * Yjs trusts the counts in an update: `readClientsStructRefs` does `new Array(numberOfStructs)`
 * straight from the wire, so a 30-byte update declaring 13 million structs costs a 100 MB
 * allocation and a 100–300 ms stall (found by the server's mutation fuzz). This walk reads the
 * same structure without building anything, and refuses every count that cannot fit in the
 * bytes that remain (each struct, value or string needs at least one byte), nesting deeper than
 * MAX_DEPTH, content kinds we never accept (subdocuments) and unknown kinds. Linear in the
 * update size, no allocation proportional to any declared count.
 */

const MAX_DEPTH = 32;

/** Content kinds (the low 5 bits of a struct's info byte). */
export const Content = {
  GC: 0,
  Deleted: 1,
  JSON: 2,
  Binary: 3,
  String: 4,
  Embed: 5,
  Format: 6,
  Type: 7,
  Any: 8,
  Doc: 9,
  Skip: 10,
} as const;

/** Type refs of ContentType: YXmlElement (3) and YXmlHook (5) carry a node name. */
const MAX_TYPE_REF = 6;
const TYPE_REF_XML_ELEMENT = 3;
const TYPE_REF_XML_HOOK = 5;

/** A dependency slot that is empty in `StructDeps`. */
export const NO_DEP = -1;

/** Where each id a struct depends on sits in `StructDeps`: its client, then its clock. */
export const DepSlot = { Origin: 0, RightOrigin: 2, Parent: 4 } as const;

/**
 * The ids a struct depends on: (client, clock) of its origin at `DepSlot.Origin`, of its right
 * origin at `DepSlot.RightOrigin`, of its parent item at `DepSlot.Parent`; `NO_DEP` in both places where it has none. One
 * array is reused for every struct: copy what you keep.
 */
export type StructDeps = readonly number[];

/**
 * What a walk reports, in byte order. Every callback is optional. Clocks are only measured when
 * `struct` or `sectionEnd` is given: that decodes every string (a String struct's length is its
 * UTF-16 length), so such a walk also refuses strings that are not UTF-8, as Yjs's decoder does.
 */
export interface UpdateVisitor {
  /** A client's section of structs starts: its id, the clock of its first struct, its count. */
  section?(client: number, clock: number, structs: number): void;
  /**
   * One struct: the byte offset of its info byte, its info byte (content kind in the low five
   * bits), its first clock and its clock length, the ids it depends on.
   */
  struct?(start: number, info: number, clock: number, length: number, deps: StructDeps): void;
  /** The current section ends: the byte offset after its last struct, the clock after it. */
  sectionEnd?(end: number, clock: number): void;
  /** The delete set starts at this byte offset (it runs to the end of the update). */
  deleteSet?(start: number): void;
}

class ShapeError extends Error {}

const remaining = (d: decoding.Decoder) => d.arr.length - d.pos;

/** Reads a count that must not exceed what the remaining bytes could hold. */
function readCount(d: decoding.Decoder, minBytesEach: number): number {
  const n = decoding.readVarUint(d);
  if (n * minBytesEach > remaining(d)) throw new ShapeError(`count ${n} larger than the update`);
  return n;
}

function skipBytes(d: decoding.Decoder, n: number): void {
  if (n > remaining(d)) throw new ShapeError('length past the end');
  d.pos += n;
}

/** Skips a varString / varUint8Array (length-prefixed bytes). */
function skipLengthPrefixed(d: decoding.Decoder): void {
  skipBytes(d, decoding.readVarUint(d));
}

/** A string's length in UTF-16 code units, the clock length Yjs gives String content. */
function readStringLength(d: decoding.Decoder): number {
  const start = d.pos;
  skipLengthPrefixed(d); // bounds first: lib0 trusts the length
  d.pos = start;
  try {
    return decoding.readVarString(d).length;
  } catch {
    throw new ShapeError('string is not valid UTF-8');
  }
}

function skipAny(d: decoding.Decoder, depth: number): void {
  if (depth > MAX_DEPTH) throw new ShapeError('value nested too deeply');
  const tag = decoding.readUint8(d);
  switch (tag) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125: // varInt
      decoding.readVarInt(d);
      return;
    case 124: // float32
      skipBytes(d, 4);
      return;
    case 123: // float64
    case 122: // bigint64
      skipBytes(d, 8);
      return;
    case 119: // string
    case 116: // Uint8Array
      skipLengthPrefixed(d);
      return;
    case 118: {
      // object: key string + value, each at least 2 bytes
      const n = readCount(d, 2);
      for (let i = 0; i < n; i++) {
        skipLengthPrefixed(d);
        skipAny(d, depth + 1);
      }
      return;
    }
    case 117: {
      const n = readCount(d, 1);
      for (let i = 0; i < n; i++) skipAny(d, depth + 1);
      return;
    }
    default:
      throw new ShapeError(`unknown value tag ${tag}`);
  }
}

/** Reads an id (client, clock) into `deps` at `slot`, or marks the slot empty. */
function readId(d: decoding.Decoder, deps: number[], slot: number, present: boolean): void {
  deps[slot] = present ? decoding.readVarUint(d) : NO_DEP; // client
  deps[slot + 1] = present ? decoding.readVarUint(d) : NO_DEP; // clock
}

/** Reads one Item after its info byte into `deps`; returns its clock length. */
function readItem(d: decoding.Decoder, info: number, deps: number[], measure: boolean): number {
  const hasOrigin = (info & 0x80) !== 0;
  const hasRightOrigin = (info & 0x40) !== 0;
  readId(d, deps, DepSlot.Origin, hasOrigin);
  readId(d, deps, DepSlot.RightOrigin, hasRightOrigin);
  // only an item without neighbours names its parent: a root type's key, or an item id
  const hasParent = !hasOrigin && !hasRightOrigin;
  const parentIsItem = hasParent && decoding.readVarUint(d) !== 1;
  if (hasParent && !parentIsItem) skipLengthPrefixed(d); // parent type key
  readId(d, deps, DepSlot.Parent, parentIsItem);
  if (hasParent && (info & 0x20) !== 0) skipLengthPrefixed(d); // parentSub
  switch (info & 0x1f) {
    case Content.Deleted:
      return decoding.readVarUint(d);
    case Content.JSON: {
      const n = readCount(d, 1);
      for (let i = 0; i < n; i++) skipLengthPrefixed(d);
      return n;
    }
    case Content.String:
      if (measure) return readStringLength(d);
      skipLengthPrefixed(d);
      return 1;
    case Content.Binary:
    case Content.Embed:
      skipLengthPrefixed(d);
      return 1;
    case Content.Format:
      skipLengthPrefixed(d); // key
      skipLengthPrefixed(d); // value
      return 1;
    case Content.Type: {
      const ref = decoding.readVarUint(d);
      if (ref > MAX_TYPE_REF) throw new ShapeError(`unknown type ref ${ref}`);
      if (ref === TYPE_REF_XML_ELEMENT || ref === TYPE_REF_XML_HOOK) skipLengthPrefixed(d);
      return 1;
    }
    case Content.Any: {
      const n = readCount(d, 1);
      for (let i = 0; i < n; i++) skipAny(d, 0);
      return n;
    }
    case Content.Doc:
      throw new ShapeError('subdocuments are not accepted');
    default:
      throw new ShapeError(`unknown content kind ${info & 0x1f}`);
  }
}

const NO_VISITOR: UpdateVisitor = Object.freeze({});
const newDeps = (): number[] => [NO_DEP, NO_DEP, NO_DEP, NO_DEP, NO_DEP, NO_DEP];
const SHARED_DEPS = newDeps();

/**
 * Walks `update` from its first byte to its last, telling `visitor` what it finds. Returns why
 * the update is refused (the walk stops there), or undefined when its shape is sound. Never
 * throws; an error thrown by a callback reaches the caller.
 */
export function walkUpdate(
  update: Uint8Array,
  visitor: UpdateVisitor = NO_VISITOR,
): string | undefined {
  const d = decoding.createDecoder(update);
  const measure = visitor.struct !== undefined || visitor.sectionEnd !== undefined;
  // a plain check never hands `deps` out, so it can share one array; a visitor gets its own
  const deps = visitor === NO_VISITOR ? SHARED_DEPS : newDeps();
  // lib0 throws plain Errors past the end; an error thrown while this is set is the visitor's
  let inVisitor = false;
  try {
    // structs: per client, a count, the client id, the first clock, then the structs
    const clients = readCount(d, 3);
    for (let c = 0; c < clients; c++) {
      const structs = readCount(d, 1);
      const client = decoding.readVarUint(d);
      let clock = decoding.readVarUint(d);
      if (visitor.section !== undefined) {
        inVisitor = true;
        visitor.section(client, clock, structs);
        inVisitor = false;
      }
      for (let s = 0; s < structs; s++) {
        const start = d.pos;
        const info = decoding.readUint8(d);
        const kind = info & 0x1f;
        let length: number;
        if (kind === Content.GC || kind === Content.Skip) {
          for (let i = 0; i < deps.length; i++) deps[i] = NO_DEP;
          length = decoding.readVarUint(d);
        } else {
          length = readItem(d, info, deps, measure);
        }
        if (visitor.struct !== undefined) {
          inVisitor = true;
          visitor.struct(start, info, clock, length, deps);
          inVisitor = false;
        }
        clock += length;
      }
      if (visitor.sectionEnd !== undefined) {
        inVisitor = true;
        visitor.sectionEnd(d.pos, clock);
        inVisitor = false;
      }
    }
    // delete set: per client, the id and (clock, length) pairs
    if (visitor.deleteSet !== undefined) {
      inVisitor = true;
      visitor.deleteSet(d.pos);
      inVisitor = false;
    }
    const dsClients = readCount(d, 2);
    for (let c = 0; c < dsClients; c++) {
      decoding.readVarUint(d);
      const deletes = readCount(d, 2);
      for (let i = 0; i < deletes; i++) {
        decoding.readVarUint(d);
        decoding.readVarUint(d);
      }
    }
    if (remaining(d) > 0) return `${remaining(d)} bytes after the end of the update`;
    return undefined;
  } catch (err) {
    if (inVisitor) throw err;
    return err instanceof ShapeError ? err.message : 'truncated update';
  }
}

/** Returns why `update` is refused, or undefined when its shape is sound. Never throws. */
export const checkUpdate = (update: Uint8Array): string | undefined => walkUpdate(update);
