/**
 * The storage port. Kept narrow so that a Postgres adapter can implement it: documents are
 * metadata plus an append-only log of Yjs updates, periodically folded into a snapshot.
 *
 * Every method may be asynchronous. One caller serializes its own writes (one `appendUpdates` or
 * `compact` in flight at a time); several adapter instances may share one store (two servers on
 * one database), and then neither may lose the other's updates. `storageContract.ts` is the
 * test suite every adapter must pass.
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

export interface CompactResult {
  /** Logged rows the snapshot replaced (deleted). */
  readonly removedRows: number;
  /** Rows up to `uptoSeq` kept because the snapshot does not hold them (another writer's). */
  readonly keptRows: number;
}

export interface BackupResult {
  /** What was copied: the database file, or the server of a database URL. */
  readonly source: string;
  /** Absolute path of the copy. */
  readonly file: string;
  readonly bytes: number;
  readonly docs: number;
  readonly ms: number;
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
  /**
   * Replaces the snapshot with `snapshot` (this caller's whole state of the document: everything
   * it loaded through this adapter instance and everything it appended through it) and drops
   * the logged rows up to `uptoSeq` that the snapshot holds, atomically. Rows and parts of the
   * old snapshot another writer stored and `snapshot` lacks are kept, so nothing is lost.
   */
  compact(id: string, snapshot: Uint8Array, uptoSeq: number): Promise<CompactResult>;
  /**
   * Writes a consistent copy of the whole store to `destination` (a new file) while writers go
   * on: every transaction committed before the backup began is in it. Refuses an existing file.
   */
  backup(destination: string): Promise<BackupResult>;
  /** True when the backing store answers (for /api/health). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
