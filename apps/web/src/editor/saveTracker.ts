/**
 * Which of this person's edits the server has committed (the "Saved" indicator).
 *
 * The server sends, after every commit of the document, its committed state vector (the commit
 * acknowledgement of @syspat/protocol). Every local transaction that inserted something ends at a
 * clock of its client id; it is committed once the committed vector reaches that clock. A
 * transaction that only deleted leaves no trace in a state vector, so it counts as committed
 * when a later local transaction is (the server applies one client's messages in order and
 * commits them in order), or when the server echoes an update whose delete set covers it (the
 * echo is only sent after the commit).
 */

import { decodeServerMessage } from '@syspat/protocol';
import * as Y from 'yjs';

/** Deleted ranges by client id, as in a Yjs delete set. */
export type DeleteRanges = ReadonlyMap<number, readonly { clock: number; len: number }[]>;

interface LocalChange {
  readonly client: number;
  /** The client's clock after the transaction; `undefined` when it only deleted. */
  readonly clock: number | undefined;
  readonly deletes: DeleteRanges;
}

export class SaveTracker {
  /** Local transactions not known to be committed, oldest first. */
  private changes: LocalChange[] = [];

  /** Local transactions the server has not committed yet. */
  get pending(): number {
    return this.changes.length;
  }

  /** Records one local transaction (call only for transactions that changed something). */
  recordLocal(
    client: number,
    clockBefore: number,
    clockAfter: number,
    deletes: DeleteRanges,
  ): void {
    if (clockAfter <= clockBefore && deletes.size === 0) return;
    this.changes.push({
      client,
      clock: clockAfter > clockBefore ? clockAfter : undefined,
      deletes,
    });
  }

  /** Applies a committed state vector; true when the pending count changed. */
  committed(vector: ReadonlyMap<number, number>): boolean {
    let last = -1;
    this.changes.forEach((change, index) => {
      if (change.clock !== undefined && (vector.get(change.client) ?? 0) >= change.clock)
        last = index;
    });
    if (last < 0) return false;
    this.changes = this.changes.slice(last + 1);
    return true;
  }

  /** True when some pending transaction only deleted (then echoes are worth decoding). */
  get awaitsDeletes(): boolean {
    return this.changes.some((c) => c.clock === undefined);
  }

  /** Applies the delete set of a committed update from the server; true when the count changed. */
  committedDeletes(deleted: DeleteRanges): boolean {
    const before = this.changes.length;
    this.changes = this.changes.filter(
      (c) => c.clock !== undefined || !coversAll(deleted, c.deletes),
    );
    return this.changes.length !== before;
  }
}

function coversAll(outer: DeleteRanges, inner: DeleteRanges): boolean {
  for (const [client, ranges] of inner) {
    const available = [...(outer.get(client) ?? [])].sort((a, b) => a.clock - b.clock);
    for (const range of ranges) {
      let pos = range.clock;
      const end = range.clock + range.len;
      for (const r of available) {
        if (r.clock > pos) break;
        if (r.clock + r.len > pos) pos = r.clock + r.len;
        if (pos >= end) break;
      }
      if (pos < end) return false;
    }
  }
  return true;
}

/** The committed state vector a commit acknowledgement carries; undefined for other messages. */
export function committedVectorOf(message: Uint8Array): Map<number, number> | undefined {
  const decoded = decodeServerMessage(message);
  if (decoded.kind !== 'commitAck') return undefined;
  try {
    return Y.decodeStateVector(decoded.stateVector);
  } catch {
    return undefined; // not a state vector: nothing is known to be committed
  }
}

/**
 * The deletions a server message carries (SyncStep2 or update: the server sends committed state
 * only); undefined for other messages and for updates Yjs cannot read.
 */
export function echoedDeletesOf(message: Uint8Array): DeleteRanges | undefined {
  const decoded = decodeServerMessage(message);
  if (decoded.kind !== 'syncStep2' && decoded.kind !== 'update') return undefined;
  try {
    return Y.decodeUpdate(decoded.update).ds.clients;
  } catch {
    return undefined; // malformed: y-protocols reports it when it reads the message
  }
}
