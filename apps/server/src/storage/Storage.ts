/**
 * The storage port. Kept narrow so that a Postgres adapter can implement it: documents are
 * metadata plus an append-only log of Yjs updates, periodically folded into a snapshot.
 *
 * Every method may be asynchronous. Callers serialize writes (one `appendUpdates` or `compact`
 * in flight at a time), so adapters need no locking of their own.
 */
export interface DocMeta {
  readonly id: string;
  readonly title: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** Milliseconds since the epoch; bumped by every committed update and by renames. */
  readonly updatedAt: number;
}

export interface StoredDoc {
  readonly meta: DocMeta;
  /** The compacted state (a Yjs update, v1 encoding), or null before the first compaction. */
  readonly snapshot: Uint8Array | null;
  /** Updates logged after the snapshot, in commit order. */
  readonly updates: readonly Uint8Array[];
  /** Sequence number of the last update in `updates` (or the snapshot's), for `compact`. */
  readonly lastSeq: number;
  /** Bytes of snapshot plus updates: what the document costs on disk. */
  readonly storedBytes: number;
}

export interface UpdateBatch {
  readonly docId: string;
  readonly updates: readonly Uint8Array[];
}

export interface Storage {
  /** Creates a document with its initial state (may be an empty update). */
  createDoc(meta: DocMeta, initialState: Uint8Array): Promise<void>;
  getDocMeta(id: string): Promise<DocMeta | undefined>;
  /** All documents, most recently changed first. */
  listDocs(): Promise<DocMeta[]>;
  /** Returns the new metadata, or undefined when there is no such document. */
  renameDoc(id: string, title: string, now: number): Promise<DocMeta | undefined>;
  /** Removes the document and all its data; false when it did not exist. */
  deleteDoc(id: string): Promise<boolean>;
  loadDoc(id: string): Promise<StoredDoc | undefined>;
  /**
   * Appends the updates of several documents in one durable transaction and bumps their
   * `updatedAt`. Resolves only after the commit is durable; returns each document's last
   * sequence number. Updates for unknown documents are dropped.
   */
  appendUpdates(batches: readonly UpdateBatch[], now: number): Promise<Map<string, number>>;
  /** Replaces the snapshot and drops logged updates with seq ≤ `uptoSeq`, atomically. */
  compact(id: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>;
  /** True when the backing store answers (for /api/health). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
