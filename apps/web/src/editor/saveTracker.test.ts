import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SaveTracker, readVarBytes, readVarUint, subscribeCommitsMessage } from './saveTracker.ts';

/** A doc whose local transactions feed a tracker, as DocSession does. */
function trackedDoc() {
  const doc = new Y.Doc();
  const tracker = new SaveTracker();
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (!tr.local) return;
    tracker.recordLocal(
      doc.clientID,
      tr.beforeState.get(doc.clientID) ?? 0,
      tr.afterState.get(doc.clientID) ?? 0,
      new Map([...tr.deleteSet.clients].map(([id, items]) => [id, items.map((i) => ({ ...i }))])),
    );
  });
  return { doc, tracker, text: doc.getText('t') };
}

describe('SaveTracker: which local edits the server has committed', () => {
  it('counts local transactions until a committed state vector covers them', () => {
    const { doc, tracker, text } = trackedDoc();
    expect(tracker.pending).toBe(0);
    text.insert(0, 'one');
    const afterOne = Y.encodeStateVector(doc);
    text.insert(3, ' two');
    text.insert(7, ' three');
    expect(tracker.pending).toBe(3);
    expect(tracker.committed(new Map())).toBe(false);
    expect(tracker.committed(Y.decodeStateVector(afterOne))).toBe(true);
    expect(tracker.pending).toBe(2);
    expect(tracker.committed(Y.decodeStateVector(Y.encodeStateVector(doc)))).toBe(true);
    expect(tracker.pending).toBe(0);
  });

  it('ignores remote and restored updates, and transactions that change nothing', () => {
    const { doc, tracker } = trackedDoc();
    const other = new Y.Doc();
    other.getText('t').insert(0, 'from someone else');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'provider');
    doc.transact(() => undefined);
    expect(tracker.pending).toBe(0);
    // a committed vector of other clients says nothing about ours
    doc.getText('t').insert(0, 'mine ');
    expect(tracker.committed(Y.decodeStateVector(Y.encodeStateVector(other)))).toBe(false);
    expect(tracker.pending).toBe(1);
  });

  it('a delete-only transaction is committed when a later one is, or when its deletions are echoed', () => {
    const { doc, tracker, text } = trackedDoc();
    text.insert(0, 'abcdef');
    tracker.committed(Y.decodeStateVector(Y.encodeStateVector(doc)));
    let deletion: Uint8Array = new Uint8Array();
    doc.once('update', (u: Uint8Array) => (deletion = u));
    text.delete(1, 3);
    expect(tracker.pending).toBe(1);
    expect(tracker.awaitsDeletes).toBe(true);
    // the vector cannot show a deletion: an ack for the same clock leaves it pending
    expect(tracker.committed(Y.decodeStateVector(Y.encodeStateVector(doc)))).toBe(false);
    expect(tracker.pending).toBe(1);
    // an echo that deletes only part of it is not enough
    expect(tracker.committedDeletes(new Map([[doc.clientID, [{ clock: 1, len: 2 }]]]))).toBe(false);
    // the server's echo of the deletion covers it
    expect(tracker.committedDeletes(Y.decodeUpdate(deletion).ds.clients)).toBe(true);
    expect(tracker.pending).toBe(0);

    text.delete(0, 1);
    text.insert(0, 'z');
    expect(tracker.pending).toBe(2);
    expect(tracker.committed(Y.decodeStateVector(Y.encodeStateVector(doc)))).toBe(true);
    expect(tracker.pending).toBe(0);
  });

  it('reads the lib0 framing of the ack and writes the subscribe message', () => {
    const vector = Y.encodeStateVector(trackedDoc().doc);
    const frame = new Uint8Array([100, vector.length, ...vector]);
    const [type, next] = readVarUint(frame, 0);
    expect(type).toBe(100);
    expect(readVarBytes(frame, next)).toEqual(vector);
    expect(readVarUint(new Uint8Array([0xac, 0x02]), 0)).toEqual([300, 2]);
    expect(() => readVarBytes(new Uint8Array([5, 1]), 0)).toThrow(RangeError);
    expect(subscribeCommitsMessage()).toEqual(new Uint8Array([100]));
  });
});
