import * as decoding from 'lib0/decoding';

/**
 * A shape check of a Yjs update (v1 encoding) that runs before `Y.applyUpdate`.
 *
 * Yjs trusts the counts in an update: `readClientsStructRefs` does `new Array(numberOfStructs)`
 * straight from the wire, so a 30-byte update declaring 13 million structs costs a 100 MB
 * allocation and a 100–300 ms stall (found by the mutation fuzz in protocol.test.ts). This walk
 * reads the same structure without building anything, and refuses every count that cannot fit in
 * the bytes that remain (each struct, value or string needs at least one byte), nesting deeper
 * than MAX_DEPTH, content kinds we never accept (subdocuments) and unknown kinds. Linear in the
 * update size, no allocation proportional to any declared count.
 */

const MAX_DEPTH = 32;

/** Content kinds (the low 5 bits of a struct's info byte). */
const Content = {
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
const TYPE_REFS_WITH_KEY = new Set([3, 5]);

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

function skipId(d: decoding.Decoder): void {
  decoding.readVarUint(d); // client
  decoding.readVarUint(d); // clock
}

function skipItem(d: decoding.Decoder, info: number): void {
  const hasOrigin = (info & 0x80) !== 0;
  const hasRightOrigin = (info & 0x40) !== 0;
  if (hasOrigin) skipId(d);
  if (hasRightOrigin) skipId(d);
  if (!hasOrigin && !hasRightOrigin) {
    if (decoding.readVarUint(d) === 1)
      skipLengthPrefixed(d); // parent type key
    else skipId(d); // parent item id
    if ((info & 0x20) !== 0) skipLengthPrefixed(d); // parentSub
  }
  switch (info & 0x1f) {
    case Content.Deleted:
      decoding.readVarUint(d);
      return;
    case Content.JSON: {
      const n = readCount(d, 1);
      for (let i = 0; i < n; i++) skipLengthPrefixed(d);
      return;
    }
    case Content.Binary:
    case Content.String:
    case Content.Embed:
      skipLengthPrefixed(d);
      return;
    case Content.Format:
      skipLengthPrefixed(d);
      skipLengthPrefixed(d);
      return;
    case Content.Type: {
      const ref = decoding.readVarUint(d);
      if (ref > MAX_TYPE_REF) throw new ShapeError(`unknown type ref ${ref}`);
      if (TYPE_REFS_WITH_KEY.has(ref)) skipLengthPrefixed(d);
      return;
    }
    case Content.Any: {
      const n = readCount(d, 1);
      for (let i = 0; i < n; i++) skipAny(d, 0);
      return;
    }
    case Content.Doc:
      throw new ShapeError('subdocuments are not accepted');
    default:
      throw new ShapeError(`unknown content kind ${info & 0x1f}`);
  }
}

/** Returns why `update` is refused, or undefined when its shape is sound. Never throws. */
export function checkUpdate(update: Uint8Array): string | undefined {
  const d = decoding.createDecoder(update);
  try {
    // structs: per client, a count, the client id, the first clock, then the structs
    const clients = readCount(d, 3);
    for (let c = 0; c < clients; c++) {
      const structs = readCount(d, 1);
      decoding.readVarUint(d); // client
      decoding.readVarUint(d); // clock
      for (let s = 0; s < structs; s++) {
        const info = decoding.readUint8(d);
        const kind = info & 0x1f;
        if (kind === Content.GC || kind === Content.Skip) decoding.readVarUint(d);
        else skipItem(d, info);
      }
    }
    // delete set: per client, the id and (clock, length) pairs
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
    return err instanceof ShapeError ? err.message : 'truncated update';
  }
}
