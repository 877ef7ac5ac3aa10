import * as Y from 'yjs';

/**
 * Test helpers (not exported from the package): replicas that exchange updates the way two
 * y-websocket clients would, without a network.
 */

/** Sends each replica what the other is missing, both ways. */
export function syncDocs(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB, 'sync');
  Y.applyUpdate(a, toA, 'sync');
}

/** A replica of `source`, fully synced. */
export function replicaOf(source: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(source), 'sync');
  return copy;
}

/** The bytes of the updates `change` makes `doc` emit, and how many updates it emits. */
export function measureChange(doc: Y.Doc, change: () => void): { bytes: number; updates: number } {
  let bytes = 0;
  let updates = 0;
  const count = (update: Uint8Array) => {
    bytes += update.byteLength;
    updates++;
  };
  doc.on('update', count);
  try {
    change();
  } finally {
    doc.off('update', count);
  }
  return { bytes, updates };
}
