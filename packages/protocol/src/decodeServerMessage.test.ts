import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeServerMessage } from './decodeServerMessage.ts';
import {
  encodeAwareness,
  encodeCommitAck,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from './messages.ts';

function docWith(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

describe('decodeServerMessage', () => {
  it('reads back every message the server encodes', () => {
    const doc = docWith('hello');
    const vector = Y.encodeStateVector(doc);
    const update = Y.encodeStateAsUpdate(doc);
    expect(decodeServerMessage(encodeSyncStep1(vector))).toEqual({
      kind: 'syncStep1',
      stateVector: vector,
    });
    expect(decodeServerMessage(encodeSyncStep2(update))).toEqual({ kind: 'syncStep2', update });
    expect(decodeServerMessage(encodeUpdate(update))).toEqual({ kind: 'update', update });
    expect(decodeServerMessage(encodeAwareness(new Uint8Array([0])))).toEqual({
      kind: 'awareness',
      update: new Uint8Array([0]),
    });
    expect(decodeServerMessage(encodeQueryAwareness())).toEqual({ kind: 'queryAwareness' });
  });

  it('gives the committed state vector of a commit ack, which Yjs decodes', () => {
    const doc = docWith('saved');
    const message = decodeServerMessage(encodeCommitAck(Y.encodeStateVector(doc)));
    expect(message.kind).toBe('commitAck');
    if (message.kind !== 'commitAck') return;
    expect(Y.decodeStateVector(message.stateVector)).toEqual(new Map([[doc.clientID, 5]]));
  });

  it('reports truncated messages and lengths past the end instead of throwing', () => {
    const full = encodeUpdate(Y.encodeStateAsUpdate(docWith('abc')));
    for (let cut = 0; cut < full.length; cut++) {
      expect(decodeServerMessage(full.subarray(0, cut)).kind, `cut at ${cut}`).toBe('malformed');
    }
    const backing = new Uint8Array(32).fill(1);
    backing.set([100, 20, 1], 0); // a commit ack declaring 20 bytes, of which the view holds 1
    expect(decodeServerMessage(backing.subarray(0, 3))).toMatchObject({ kind: 'malformed' });
  });

  it('names message types it does not know, so a client can ignore them', () => {
    expect(decodeServerMessage(new Uint8Array([7, 1]))).toEqual({ kind: 'unknown', type: 7 });
    expect(decodeServerMessage(new Uint8Array([0, 9, 0]))).toEqual({ kind: 'unknown', type: 0 });
  });
});
