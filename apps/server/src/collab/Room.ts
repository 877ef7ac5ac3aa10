import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { Connection } from './Connection.ts';
import { type CacheCapture, FullStateCache } from './FullStateCache.ts';
import { type Origin, originOf, encodeAwareness } from '@syspat/protocol';
import type { StoredDoc } from '../storage/Storage.ts';

/** A SyncStep1 reply waiting for the commit of what the doc holds. */
export interface DeferredReply {
  readonly conn: Connection;
  readonly stateVector: Uint8Array;
}

/** What one commit takes from a room (`takePending`), and puts back if it fails. */
export interface PendingBatch {
  readonly updates: Uint8Array[];
  readonly bytes: number;
  /** Connections whose updates are in the batch (send-first: they get the echo after it). */
  readonly authors: Set<Connection>;
  readonly replies: DeferredReply[];
  readonly acks: Connection[];
}

/** Reports every update applied to a loaded room's doc, with its tagged origin. */
export type UpdateListener = (room: Room, update: Uint8Array, origin: Origin) => void;

/**
 * One open document: its Y.Doc, presence, connections, and the buffer of updates applied in
 * memory but not yet committed, which only its own methods change. Rooms are created and removed
 * by `RoomLoader` only.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: awarenessProtocol.Awareness;
  readonly conns = new Set<Connection>();
  /** Connections waiting for this room to load. */
  readonly waiting = new Set<Connection>();
  /** Which connection announced each awareness client id: only it may speak for that id (R12). */
  readonly awarenessOwners = new Map<number, Connection>();
  readonly cache = new FullStateCache();
  /** REST operations holding the room open (it is not unloaded while > 0). */
  holds = 0;
  /** Bytes on disk (snapshot + log), an upper bound of the encoded document. */
  storedBytes = 0;
  /** Updates logged since the last snapshot. */
  tailCount = 0;
  lastSeq = 0;
  compactionQueued = false;
  unloadTimer: NodeJS.Timeout | undefined;
  closed = false;
  /** Resolves once the document is loaded; rejects when it is missing or broken. */
  ready: Promise<void> = Promise.resolve();
  /** Updates applied to `doc` and not yet committed, in order. */
  private pending: Uint8Array[] = [];
  private pendingBytesCount = 0;
  private pendingAuthors = new Set<Connection>();
  /** True while a commit of this room's updates is running. */
  private inFlight = false;
  private deferredReplies: DeferredReply[] = [];
  /** Subscribers waiting for their first commit ack (the doc held uncommitted state). */
  private deferredAcks: Connection[] = [];
  /** send-first: updates of this turn not yet sent on to the other clients. */
  private outbox: Uint8Array[] = [];
  private outboxAuthors = new Set<Connection>();
  private awarenessChanged = new Set<number>();
  private awarenessScheduled = false;

  constructor(readonly id: string) {
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const conn = this.memberOf(originOf(origin));
        if (conn !== undefined) {
          if (added.length > 0) conn.awarenessClients ??= new Set();
          for (const id of added) {
            conn.awarenessClients?.add(id);
            this.awarenessOwners.set(id, conn);
          }
          for (const id of removed) {
            conn.awarenessClients?.delete(id);
            if (this.awarenessOwners.get(id) === conn) this.awarenessOwners.delete(id);
          }
        }
        for (const id of added) this.awarenessChanged.add(id);
        for (const id of updated) this.awarenessChanged.add(id);
        for (const id of removed) this.awarenessChanged.add(id);
        this.scheduleAwarenessBroadcast();
      },
    );
  }

  /**
   * Starts reporting the doc's updates, once it is loaded. Not before: while Yjs has an 'update'
   * listener it encodes every transaction as an update, which for a big document's load is a
   * third of the time.
   */
  trackUpdates(listener: UpdateListener): void {
    this.doc.on('update', (update: Uint8Array, transactionOrigin: unknown) => {
      const origin = originOf(transactionOrigin);
      if (origin.kind === 'load') return;
      this.cache.append(update);
      listener(this, update, origin);
    });
  }

  /** Takes the counters of what storage holds, after a load. */
  loadedFrom(stored: StoredDoc): void {
    this.storedBytes = stored.storedBytes;
    this.tailCount = stored.updates.length;
    this.lastSeq = stored.lastSeq;
  }

  /** The connection a client origin names, if it is (still) in this room. */
  memberOf(origin: Origin): Connection | undefined {
    if (origin.kind !== 'client') return undefined;
    const client = origin.client;
    return client instanceof Connection && this.conns.has(client) ? client : undefined;
  }

  // ---- the pending buffer -------------------------------------------------------------------

  addPending(update: Uint8Array, author: Connection | undefined): void {
    this.pending.push(update);
    this.pendingBytesCount += update.length;
    if (author !== undefined) this.pendingAuthors.add(author);
  }

  get pendingBytes(): number {
    return this.pendingBytesCount;
  }

  /** True when `doc` holds state that is not yet durable. */
  get hasUncommitted(): boolean {
    return this.pending.length > 0 || this.inFlight;
  }

  deferReply(conn: Connection, stateVector: Uint8Array): void {
    this.deferredReplies.push({ conn, stateVector });
  }

  deferAck(conn: Connection): void {
    this.deferredAcks.push(conn);
  }

  /** Hands the buffer to a commit; the room counts as uncommitted until `commitSettled`. */
  takePending(): PendingBatch {
    const batch: PendingBatch = {
      updates: this.pending,
      bytes: this.pendingBytesCount,
      authors: this.pendingAuthors,
      replies: this.deferredReplies,
      acks: this.deferredAcks,
    };
    this.pending = [];
    this.pendingBytesCount = 0;
    this.pendingAuthors = new Set();
    this.deferredReplies = [];
    this.deferredAcks = [];
    if (batch.updates.length > 0) this.inFlight = true;
    return batch;
  }

  /** The commit failed: the batch goes back in front of what arrived meanwhile. */
  restorePending(batch: PendingBatch): void {
    this.inFlight = false;
    this.pending = batch.updates.concat(this.pending);
    this.pendingBytesCount += batch.bytes;
    for (const author of batch.authors) this.pendingAuthors.add(author);
    this.deferredReplies = batch.replies.concat(this.deferredReplies);
    this.deferredAcks = batch.acks.concat(this.deferredAcks);
  }

  /** The commit of `batch` is durable; `lastSeq` is the log position storage reported. */
  commitSettled(batch: PendingBatch, lastSeq: number | undefined): void {
    this.inFlight = false;
    if (batch.updates.length === 0) return;
    this.lastSeq = lastSeq ?? this.lastSeq;
    this.tailCount += batch.updates.length;
    this.storedBytes += batch.bytes;
  }

  /**
   * A snapshot of the log as it was at `captured` is written: updates committed while it was
   * encoded stay in the log.
   */
  compacted(
    captured: {
      readonly tailCount: number;
      readonly storedBytes: number;
      readonly cache: CacheCapture;
    },
    snapshot: Uint8Array,
  ): void {
    this.tailCount -= captured.tailCount;
    this.storedBytes = snapshot.length + (this.storedBytes - captured.storedBytes);
    this.cache.foldSnapshot(captured.cache, snapshot);
  }

  // ---- send-first outbox --------------------------------------------------------------------

  queueOutbox(update: Uint8Array, author: Connection | undefined): void {
    this.outbox.push(update);
    if (author !== undefined) this.outboxAuthors.add(author);
  }

  takeOutbox(): { readonly updates: Uint8Array[]; readonly authors: Set<Connection> } {
    const taken = { updates: this.outbox, authors: this.outboxAuthors };
    this.outbox = [];
    this.outboxAuthors = new Set();
    return taken;
  }

  // ---- clients ------------------------------------------------------------------------------

  /**
   * The replies to a client's SyncStep1 (call only when nothing is uncommitted, or in send-first
   * mode).
   */
  syncReplyFor(stateVector: Uint8Array): Uint8Array[] {
    return this.cache.replyFrames(this.doc, stateVector);
  }

  get idle(): boolean {
    return this.conns.size === 0 && this.holds === 0;
  }

  /** True when some client subscribed to commit acks. */
  get hasCommitSubscribers(): boolean {
    for (const conn of this.conns) if (conn.commitSubscriber) return true;
    return false;
  }

  /** Awareness of every client currently present, or undefined when nobody is. */
  fullAwareness(): Uint8Array | undefined {
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length === 0) return undefined;
    return encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
  }

  /** Sends the same encoded frame to every connection but `except`. */
  broadcast(frame: Uint8Array, except?: Connection): void {
    for (const conn of this.conns) if (conn !== except) conn.send(frame);
  }

  removeConnection(conn: Connection): void {
    if (!this.conns.delete(conn)) return;
    this.deferredReplies = this.deferredReplies.filter((r) => r.conn !== conn);
    this.deferredAcks = this.deferredAcks.filter((c) => c !== conn);
    this.pendingAuthors.delete(conn);
    this.outboxAuthors.delete(conn);
    for (const id of conn.awarenessClients ?? []) {
      if (this.awarenessOwners.get(id) === conn) this.awarenessOwners.delete(id);
    }
    if (conn.awarenessClients !== undefined && conn.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessClients], null);
    }
  }

  cancelUnload(): void {
    if (this.unloadTimer === undefined) return;
    clearTimeout(this.unloadTimer);
    this.unloadTimer = undefined;
  }

  /** Drops everything in memory; uncommitted updates too (the caller flushed, or it was deleted). */
  destroy(): void {
    this.closed = true;
    this.cancelUnload();
    this.pending = [];
    this.awareness.destroy();
    this.doc.destroy();
  }

  private scheduleAwarenessBroadcast(): void {
    if (this.awarenessScheduled || this.closed) return;
    this.awarenessScheduled = true;
    setImmediate(() => {
      this.awarenessScheduled = false;
      if (this.closed || this.awarenessChanged.size === 0) return;
      const clients = [...this.awarenessChanged];
      this.awarenessChanged.clear();
      this.broadcast(
        encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)),
      );
    });
  }
}
