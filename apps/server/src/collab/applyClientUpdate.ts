import * as Y from 'yjs';

/**
 * Updates whose dependencies the server does not have wait in the doc's pending store, and
 * Yjs re-merges that store on every later update. Legitimately it holds a few updates for a
 * moment (two tabs syncing through BroadcastChannel); this cap stops a client from growing it
 * without end, which would make every update slower (and it is never stored anyway).
 */
export const MAX_PENDING_BYTES = 256 * 1024;

export type ApplyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Applies a client update (already shape-checked by `decodeClientMessage`); never throws. */
export function applyClientUpdate(doc: Y.Doc, update: Uint8Array, origin: unknown): ApplyResult {
  try {
    Y.applyUpdate(doc, update, origin);
  } catch {
    return { ok: false, reason: 'malformed update' };
  }
  const store = doc.store;
  const pendingBytes = (store.pendingStructs?.update.length ?? 0) + (store.pendingDs?.length ?? 0);
  if (pendingBytes > MAX_PENDING_BYTES) {
    // Never integrated, never stored: dropping it loses nothing a resync cannot bring back.
    store.pendingStructs = null;
    store.pendingDs = null;
    return { ok: false, reason: 'too many updates with missing dependencies' };
  }
  return { ok: true };
}
