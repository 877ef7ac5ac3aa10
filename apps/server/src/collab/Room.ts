import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Connection } from './Connection.ts';
import { encodeAwareness, encodeSyncStep2 } from './protocol.ts';

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
  /** REST operations holding the room open (it is not unloaded while > 0). */
  holds = 0;
  /** Yjs-produced updates applied to `doc` and not yet committed, in order. */
  pending: Uint8Array[] = [];
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
          for (const id of added) conn.awarenessClients?.add(id);
          for (const id of removed) conn.awarenessClients?.delete(id);
        }
        for (const id of added) this.awarenessChanged.add(id);
        for (const id of updated) this.awarenessChanged.add(id);
        for (const id of removed) this.awarenessChanged.add(id);
        this.scheduleAwarenessBroadcast();
      },
    );
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOAD_ORIGIN) return;
      onUpdate(this, update, this.connFromOrigin(origin));
    });
  }

  /** True when `doc` holds state that is not yet durable. */
  get hasUncommitted(): boolean {
    return this.pending.length > 0 || this.inFlight;
  }

  get idle(): boolean {
    return this.conns.size === 0 && this.holds === 0;
  }

  /** The full-state reply to a client's SyncStep1 (call only when nothing is uncommitted). */
  syncStep2For(stateVector: Uint8Array): Uint8Array {
    return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
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
