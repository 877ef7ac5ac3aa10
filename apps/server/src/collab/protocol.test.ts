import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyClientUpdate } from './applyClientUpdate.ts';
import { CloseCode } from './closeCodes.ts';
import { decodeClientMessage, encodeSyncStep1, encodeUpdate } from './protocol.ts';

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

  it('applies or rejects each of 10,000 byte-mutated valid updates within 50 ms each (R4)', () => {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    const text = source.getText('t');
    for (let i = 0; i < 40; i++) text.insert(Math.floor(text.length / 3), `part ${i};`);
    text.delete(3, 20);
    source.getArray('a').push([{ a: 1 }, 'two', 3]);
    source.getMap('m').set('nested', new Y.Map());
    let seed = 1;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const target = new Y.Doc();
    let applied = 0;
    let rejected = 0;
    let worst = 0;
    for (let i = 0; i < 10_000; i++) {
      const mutated = new Uint8Array(updates[i % updates.length]!);
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++)
        mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      // CPU time, not wall time: the budget is about work done, not about a busy machine
      const started = process.cpuUsage();
      const message = decodeClientMessage(encodeUpdate(mutated), limits);
      if (message.kind === 'update') {
        if (applyClientUpdate(target, message.update, null).ok) applied += 1;
        else rejected += 1;
      } else {
        rejected += 1;
      }
      const used = process.cpuUsage(started);
      worst = Math.max(worst, (used.user + used.system) / 1000);
    }
    expect(applied).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
    expect(worst).toBeLessThan(50);
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
