/**
 * Which of this person's edits the server has committed (the "Saved" indicator).
 *
 * The server sends, after every commit of the document, its committed state vector (message
 * type 100, see apps/server README). Every local transaction that inserted something ends at a
 * clock of its client id; it is committed once the committed vector reaches that clock. A
 * transaction that only deleted leaves no trace in a state vector, so it counts as committed
 * when a later local transaction is (the server applies one client's messages in order and
 * commits them in order), or when the server echoes an update whose delete set covers it (the
 * echo is only sent after the commit).
 */

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

/** Reads a lib0 varUint at `pos`; returns the value and the next position. */
export function readVarUint(bytes: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let shift = 1;
  for (;;) {
    const byte = bytes[pos++];
    if (byte === undefined) throw new RangeError('truncated varUint');
    value += (byte & 0x7f) * shift;
    if (byte < 0x80) return [value, pos];
    shift *= 128;
    if (shift > 2 ** 53) throw new RangeError('varUint too large');
  }
}

/** Reads a lib0 varUint8Array at `pos`. */
export function readVarBytes(bytes: Uint8Array, pos: number): Uint8Array {
  const [len, start] = readVarUint(bytes, pos);
  if (start + len > bytes.length) throw new RangeError('length past the end');
  return bytes.subarray(start, start + len);
}

/** The subscribe message: `[100]`. */
export const COMMIT_ACK_MESSAGE = 100;
export const subscribeCommitsMessage = (): Uint8Array => new Uint8Array([COMMIT_ACK_MESSAGE]);
