import * as decoding from 'lib0/decoding';

/**
 * Reads a varUint8Array whose length must fit in the remaining bytes, or undefined when it does
 * not: lib0 alone trusts the length, and a view's buffer may hold more than the view.
 */
export function readBoundedBytes(decoder: decoding.Decoder): Uint8Array | undefined {
  const len = decoding.readVarUint(decoder);
  if (len > decoder.arr.length - decoder.pos) return undefined;
  return decoding.readUint8Array(decoder, len);
}
