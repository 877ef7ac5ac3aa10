import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeAwareness, encodeSyncStep2, encodeUpdate } from '@syspat/protocol';
import type { Connection } from './Connection.ts';

/** From this size on, a fresh client gets the cached state rather than a new encoding of the doc. */
const CACHED_REPLY_BYTES = 64 * 1024;

/** Origin of the transaction that fills a room from storage: not re-stored, not broadcast. */
export const LOAD_ORIGIN = Symbol('syspat-load');

/**
 * One open document: its Y.Doc, presence, connections, and the updates applied in memory but
 * not yet committed. Rooms are created and removed by `CollabServer` only.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: awarenessProtocol.Awareness;
  readonly conns = new Set<Connection>();
  /** Connections waiting for this room to load. */
  readonly waiting = new Set<Connection>();
  /** Which connection announced each awareness client id: only it may speak for that id (R12). */
  readonly awarenessOwners = new Map<number, Connection>();
  /** REST operations holding the room open (it is not unloaded while > 0). */
  holds = 0;
  /** Yjs-produced updates applied to `doc` and not yet committed, in order. */
  pending: Uint8Array[] = [];
  /** send-first: updates of this turn not yet sent on to the other clients. */
  outbox: Uint8Array[] = [];
  outboxAuthors = new Set<Connection>();
  /** Connections whose updates are in `pending` (send-first: they get the echo after the commit). */
  pendingAuthors = new Set<Connection>();
  pendingBytes = 0;
  /** True while a commit of this room's updates is running. */
  inFlight = false;
  /** SyncStep1 replies waiting for the commit of what `doc` holds (so nobody sees uncommitted data). */
  deferredReplies: { conn: Connection; stateVector: Uint8Array }[] = [];
  /** Subscribers waiting for their first commit ack (the doc held uncommitted state). */
  deferredAcks: Connection[] = [];
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
  /**
   * The document's full state as one update, as of its load or last refresh, and the updates
   * applied since (`fullState` merged with `fullStateTail` = the doc). Refreshed on the state
   * worker for big documents, so that a fresh client's join never re-encodes them on the loop.
   */
  fullState: Uint8Array | undefined;
  fullStateTail: Uint8Array[] = [];
  fullStateTailBytes = 0;
  fullStateRefreshing = false;
  private readonly onUpdate: (
    room: Room,
    update: Uint8Array,
    author: Connection | undefined,
  ) => void;
  private awarenessChanged = new Set<number>();
  private awarenessScheduled = false;

  constructor(
    readonly id: string,
    onUpdate: (room: Room, update: Uint8Array, author: Connection | undefined) => void,
  ) {
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const conn = this.connFromOrigin(origin);
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
    this.onUpdate = onUpdate;
  }

  /**
   * Starts reporting the doc's updates, once it is loaded. Not before: while Yjs has an 'update'
   * listener it encodes every transaction as an update, which for a big document's load is a
   * third of the time.
   */
  trackUpdates(): void {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOAD_ORIGIN) return;
      if (this.fullState !== undefined) {
        this.fullStateTail.push(update);
        this.fullStateTailBytes += update.length;
      }
      this.onUpdate(this, update, this.connFromOrigin(origin));
    });
  }

  /**
   * The replies to a client's SyncStep1 (call only when nothing is uncommitted, or in send-first
   * mode). A client with an empty state vector gets the cached full state of a big document when
   * there is one (plus what changed since, as an update), so that nobody's join re-encodes it on
   * the event loop.
   */
  syncReplyFor(stateVector: Uint8Array): Uint8Array[] {
    if (
      this.fullState !== undefined &&
      this.fullState.length + this.fullStateTailBytes >= CACHED_REPLY_BYTES &&
      // a tail bigger than the state (a big paste not folded in yet) would put most of the
      // content after the reply, which clients and tools read as "synced": encode instead
      this.fullStateTailBytes <= this.fullState.length &&
      Y.decodeStateVector(stateVector).size === 0
    ) {
      const frames = [encodeSyncStep2(this.fullState)];
      const tail = this.fullStateTail;
      if (tail.length > 0)
        frames.push(encodeUpdate(tail.length === 1 ? tail[0]! : Y.mergeUpdates(tail)));
      return frames;
    }
    return [encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector))];
  }

  /** True when `doc` holds state that is not yet durable. */
  get hasUncommitted(): boolean {
    return this.pending.length > 0 || this.inFlight;
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

  destroy(): void {
    this.closed = true;
    if (this.unloadTimer !== undefined) clearTimeout(this.unloadTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private connFromOrigin(origin: unknown): Connection | undefined {
    return this.conns.has(origin as Connection) ? (origin as Connection) : undefined;
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
