import { printMarkdown } from '@syspat/markdown';
import { getRoot, readModel } from '@syspat/ydoc';
import * as Y from 'yjs';

/**
 * Everything two replicas must agree on, in comparable form: the state vector, the delete set
 * (as Yjs computes it from the struct store, so garbage-collected and merely deleted items
 * compare equal), the whole Yjs content with Y.Text formatting, the model and its canonical
 * markdown. The yjs test harness's `compare` checks the same things (minus our model).
 */
export interface DocState {
  readonly stateVector: string;
  /** Delete set and state vector (`Y.encodeSnapshot`, deterministic order). */
  readonly snapshot: string;
  /** Structs or deletes waiting for missing dependencies (must be none once synced). */
  readonly pending: boolean;
  readonly content: string;
  readonly model: string;
  readonly markdown: string;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The Yjs content under the root, Y.Text as deltas (with format attributes), map keys sorted. */
export function dumpContent(value: unknown): unknown {
  if (value instanceof Y.Text) return { text: value.toDelta() as unknown };
  if (value instanceof Y.Map) {
    const map = value as Y.Map<unknown>;
    return Object.fromEntries(
      [...map.keys()].sort().map((key) => [key, dumpContent(map.get(key))] as const),
    );
  }
  if (value instanceof Y.Array) return (value as Y.Array<unknown>).toArray().map(dumpContent);
  if (value instanceof Y.AbstractType) return { unexpectedType: value.constructor.name };
  return value;
}

export function docState(doc: Y.Doc): DocState {
  const model = readModel(doc);
  return {
    stateVector: hex(Y.encodeStateVector(doc)),
    snapshot: hex(Y.encodeSnapshot(Y.snapshot(doc))),
    pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null,
    content: JSON.stringify(dumpContent(getRoot(doc))),
    model: JSON.stringify(model),
    markdown: printMarkdown(model),
  };
}

/** A document holding exactly `update`. */
export function docFrom(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}
