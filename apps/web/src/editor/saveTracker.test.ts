import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  encodeAwareness,
  encodeCommitAck,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from '@syspat/protocol';
import { SaveTracker, committedVectorOf, echoedDeletesOf } from './saveTracker.ts';

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

  it('reads the committed vector from a commit ack, and only from one', () => {
    const { doc } = trackedDoc();
    doc.getText('t').insert(0, 'saved');
    const vector = Y.encodeStateVector(doc);
    expect(committedVectorOf(encodeCommitAck(vector))).toEqual(new Map([[doc.clientID, 5]]));
    expect(committedVectorOf(encodeSyncStep1(vector))).toBeUndefined();
    expect(committedVectorOf(encodeCommitAck(vector).subarray(0, 2))).toBeUndefined();
  });

  it('reads the deletions of echoed updates and SyncStep2, and of nothing else', () => {
    const { doc } = trackedDoc();
    const text = doc.getText('t');
    text.insert(0, 'abc');
    const before = Y.encodeStateVector(doc);
    text.delete(0, 2);
    const deletion = Y.encodeStateAsUpdate(doc, before);
    const deleted = new Map([[doc.clientID, [{ clock: 0, len: 2 }]]]);
    expect(echoedDeletesOf(encodeUpdate(deletion))).toEqual(deleted);
    expect(echoedDeletesOf(encodeSyncStep2(deletion))).toEqual(deleted);
    expect(echoedDeletesOf(encodeAwareness(deletion))).toBeUndefined();
    expect(echoedDeletesOf(encodeUpdate(new Uint8Array([9, 9, 9])))).toBeUndefined();
  });
});
