import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from './closeCodes.ts';
import { decodeClientMessage } from './decodeClientMessage.ts';
import { encodeSyncStep1, encodeUpdate } from './messages.ts';

const limits = { maxAwarenessBytes: 64 * 1024, maxAwarenessStates: 256 };

describe('decodeClientMessage', () => {
  it('decodes sync step 1, step 2, update, awareness and awareness query', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'x');
    const sv = Y.encodeStateVector(doc);
    expect(decodeClientMessage(encodeSyncStep1(sv), limits)).toEqual({
      kind: 'syncStep1',
      stateVector: sv,
    });
    const update = Y.encodeStateAsUpdate(doc);
    expect(decodeClientMessage(encodeUpdate(update), limits)).toEqual({
      kind: 'update',
      update,
      step2: false,
    });
    expect(decodeClientMessage(new Uint8Array([3]), limits)).toEqual({ kind: 'queryAwareness' });
  });

  it('turns an empty message into a violation within 50 ms (R3)', () => {
    const started = performance.now();
    expect(decodeClientMessage(new Uint8Array(), limits)).toMatchObject({
      code: CloseCode.InvalidPayload,
    });
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('never reads past the message even when the buffer behind it is larger (R2)', () => {
    const backing = new Uint8Array(64).fill(7);
    backing.set([0, 2, 10, 1, 2], 0);
    const view = backing.subarray(0, 5); // declares 10 bytes, holds 2
    expect(decodeClientMessage(view, limits)).toMatchObject({
      kind: 'violation',
      code: CloseCode.InvalidPayload,
    });
  });

  it('rejects a state vector declaring 2^32 clients quickly (R6)', () => {
    const sv = encoding.createEncoder();
    encoding.writeVarUint(sv, 2 ** 32);
    const started = performance.now();
    expect(decodeClientMessage(encodeSyncStep1(encoding.toUint8Array(sv)), limits)).toMatchObject({
      code: CloseCode.InvalidPayload,
    });
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('rejects awareness updates that are not JSON objects', () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, '[1,2]');
    const message = new Uint8Array([1, ...encodeLength(encoding.toUint8Array(e))]);
    expect(decodeClientMessage(message, limits)).toMatchObject({ kind: 'violation' });
  });
});

function encodeLength(payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}
