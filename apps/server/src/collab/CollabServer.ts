import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Config } from '../config.ts';
import { type AppError, rateLimited, shuttingDown, tooManyConnections } from '../errors.ts';
import type { ServerMetrics } from '../metrics.ts';
import { KeyedRateLimiter } from '../rateLimit.ts';
import type { Storage } from '../storage/Storage.ts';
import { CloseCode, type CloseCodeValue } from './closeCodes.ts';
import { applyClientUpdate } from './applyClientUpdate.ts';
import { type CollabSocket, Connection, type ConnectionLimits } from './Connection.ts';
import {
  decodeClientMessage,
  encodeAwarenessEntries,
  encodeCommitAck,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from './protocol.ts';
import { migrateLoadedDocument } from '../documents.ts';
import { LOAD_ORIGIN, Room } from './Room.ts';
import { MalformedInputError, StateWorker } from './stateWorker.ts';
import { checkUpdate } from './updateGuard.ts';

/** Origin of server-side writes (REST imports): stored and broadcast once, like any update. */
export const SERVER_ORIGIN = Symbol('syspat-server');

/** The document does not exist in storage. */
export class DocMissingError extends Error {
  constructor(readonly docId: string) {
    super(`no document ${docId}`);
    this.name = 'DocMissingError';
  }
}

/** The document exists but could not be loaded (storage down, or corrupt data: quarantined). */
export class DocLoadError extends Error {
  constructor(
    readonly docId: string,
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'DocLoadError';
  }
}

export interface CollabOptions {
  readonly storage: Storage;
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: ServerMetrics;
}

export interface ConnectionInfo {
  readonly docId: string;
  readonly ip: string;
}

const KEEPALIVE_MS = 30_000;
const KNOWN_CLOSE_CODES = new Set<number>([...Object.values(CloseCode), 1001, 1005, 1006]);
const MAX_AWARENESS_STATES = 256;
const MAX_QUEUED_MESSAGES = 1000;
const MAX_RETRY_DELAY_MS = 5000;
/** After the state worker failed, big documents are handled on the event loop this long. */
const WORKER_RETRY_MS = 60_000;
/** How long a probed connection has to answer a ping. */
const PROBE_MS = 3000;
/** Stored documents from this size on load on the state worker, in slices (~2 µs per struct). */
const BIG_DOC_BYTES = 128 * 1024;
const LOAD_SLICE_STRUCTS = 4000;
/**
 * When the updates since a document's cached full state are folded into it: rarely enough that a
 * busy big document does not keep the worker re-encoding it (each fold is linear in its size),
 * often enough that a fresh client's reply merges a short tail only.
 */
const FULL_STATE_TAIL_UPDATES = 1000;
const FULL_STATE_TAIL_BYTES = 256 * 1024;

/** Where a socket keeps its connection, so that one set of listeners serves every socket. */
const CONNECTION = Symbol('syspat-connection');
type SocketWithConnection = CollabSocket & { [CONNECTION]: Connection };

type RawMessage = Buffer | ArrayBuffer | Buffer[];

interface SocketListeners {
  readonly error: (this: unknown, err: Error) => void;
  readonly close: (this: unknown, code: number) => void;
  readonly pong: (this: unknown) => void;
  readonly message: (this: unknown, data: RawMessage, isBinary: boolean) => void;
}

/** Listener functions shared by every socket; `this` is the socket that emitted. */
function makeSocketListeners(
  onMessage: (conn: Connection, data: RawMessage, isBinary: boolean) => void,
  onClose: (conn: Connection, code: number) => void,
): SocketListeners {
  const connectionOf = (socket: unknown) => (socket as SocketWithConnection)[CONNECTION];
  return {
    error(err) {
      connectionOf(this).log.warn(
        { err: { message: err.message, code: (err as { code?: string }).code } },
        'websocket error',
      );
    },
    close(code) {
      onClose(connectionOf(this), code);
    },
    pong() {
      connectionOf(this).alive = true;
    },
    message(data, isBinary) {
      onMessage(connectionOf(this), data, isBinary);
    },
  };
}

const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** SyncStep1 with an empty state vector: a client that has nothing and asks for everything. */
const isFullSyncRequest = (bytes: Uint8Array): boolean =>
  bytes.length === 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 1 && bytes[3] === 0;

const toBytes = (data: Buffer | ArrayBuffer | Buffer[]): Uint8Array => {
  // Always copy: a ws Buffer may be a view into a larger shared allocation, and the decoder
  // must not be able to read past the message.
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  return new Uint8Array(data);
};

/**
 * The sync core: rooms, the y-websocket protocol, group commit and fan-out. Takes any socket
 * (`handleConnection`); Fastify is wired in `collabRoutes.ts`.
 *
 * Durability rule (FANOUT_ORDER=commit-first, the default): an update is applied to the room's
 * Y.Doc at once, but nothing derived from it leaves the server before it is committed. Updates
 * are committed in groups (one storage transaction per flush, for all rooms), then each room
 * sends one merged frame to every client, including the sender: that echo is the
 * acknowledgement. SyncStep2 replies wait for the commit of whatever the doc holds, so no client
 * ever sees state that a crash could take back.
 *
 * FANOUT_ORDER=send-first trades that last promise for latency: the other clients receive an
 * update as soon as it is applied, the commit follows in the same event-loop turn, and only then
 * does the author get its echo and subscribers their commit ack. An acknowledged edit is as
 * durable as before; an unacknowledged one that others saw survives a crash in their copies and
 * comes back when they resync.
 */
export class CollabServer {
  private readonly storage: Storage;
  private readonly config: Config;
  private readonly log: Logger;
  private readonly metrics: ServerMetrics;
  private readonly rooms = new Map<string, Room>();
  private readonly connections = new Set<Connection>();
  /** Open connections per address; `ip` is the one string every connection from it shares. */
  private readonly perIp = new Map<string, { readonly ip: string; count: number }>();
  private readonly connectRate: KeyedRateLimiter;
  private readonly dirty = new Set<Room>();
  private lane: Promise<unknown> = Promise.resolve();
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 0;
  private storageHealthy = true;
  private shuttingDown = false;
  private shutdownPromise: Promise<void> | undefined;
  private readonly keepalive: NodeJS.Timeout;
  private connSeq = 0;
  /** Loads only, so that a document's first readers never wait behind background work. */
  private readonly stateWorker = new StateWorker();
  /** Snapshots and cache refreshes of big documents. */
  private readonly backgroundWorker = new StateWorker();
  private workerFailedAt = -Infinity;
  private readonly sendFirst: boolean;
  /** send-first: rooms with updates to send on before the commit. */
  private readonly outboxRooms = new Set<Room>();
  /** Connections pinged because another socket claimed their awareness id. */
  private readonly probing = new Set<Connection>();
  private outboxScheduled = false;
  private readonly connectionLimits: ConnectionLimits;
  private readonly socketListeners: SocketListeners;

  constructor(options: CollabOptions) {
    this.storage = options.storage;
    this.config = options.config;
    this.log = options.log;
    this.metrics = options.metrics;
    this.sendFirst = this.config.storage.fanoutOrder === 'send-first';
    this.connectRate = new KeyedRateLimiter(this.config.limits.wsConnectsPerMinute);
    this.keepalive = setInterval(() => this.checkAlive(), KEEPALIVE_MS);
    this.keepalive.unref();
    const limits = this.config.limits;
    this.connectionLimits = {
      messagesPerSecond: limits.wsMessagesPerSecond,
      messageBurst: limits.wsMessageBurst,
      bytesPerSecond: limits.wsBytesPerSecond,
      maxMessageBytes: limits.wsMaxMessageBytes,
    };
    this.socketListeners = makeSocketListeners(
      (conn, data, isBinary) => this.onMessage(conn, data, isBinary),
      (conn, code) => this.onClose(conn, code),
    );
  }

  stats() {
    return {
      connections: this.connections.size,
      loadedDocs: this.rooms.size,
      storageHealthy: this.storageHealthy,
      shuttingDown: this.shuttingDown,
    };
  }

  /**
   * Starts the state worker thread now rather than on the first big document (its start-up, about
   * 0.3 s, would otherwise delay that document's first client). The production entry calls it.
   */
  warmUp(): void {
    for (const worker of [this.stateWorker, this.backgroundWorker]) {
      worker.merge([EMPTY_UPDATE]).catch((err: unknown) => {
        this.log.warn({ err }, 'a state worker did not start; it is retried on first use');
      });
    }
  }

  /** Clients connected to `docId` right now. */
  clientsOf(docId: string): number {
    return this.rooms.get(docId)?.conns.size ?? 0;
  }

  /** Checks that may refuse an upgrade before it happens (HTTP 503/429). */
  admitUpgrade(ip: string): AppError | undefined {
    if (this.shuttingDown) return shuttingDown();
    const limit = this.config.limits.maxConnectionsPerIp;
    if ((this.perIp.get(ip)?.count ?? 0) >= limit) {
      this.metrics.rejected.inc(1, { limit: 'connections_per_ip' });
      this.log.warn({ ip, limit }, 'websocket refused: too many connections from this address');
      return tooManyConnections(limit);
    }
    const wait = this.connectRate.hit(ip);
    if (wait > 0) {
      this.metrics.rejected.inc(1, { limit: 'connect_rate' });
      this.log.warn({ ip, retryAfter: wait }, 'websocket refused: connection rate limit');
      return rateLimited(wait);
    }
    return undefined;
  }

  /** Serves one client socket bound to `info.docId` for its whole life. */
  handleConnection(socket: CollabSocket, info: ConnectionInfo): void {
    let perIp = this.perIp.get(info.ip);
    if (perIp === undefined) {
      perIp = { ip: info.ip, count: 0 };
      this.perIp.set(info.ip, perIp);
    }
    perIp.count += 1;
    const ip = perIp.ip;
    const conn = new Connection(
      socket,
      info.docId,
      ip,
      ++this.connSeq,
      this.log,
      this.connectionLimits,
    );
    // One set of listener functions for every socket (no closures per connection); each finds
    // its connection on the socket. An 'error' listener on every socket: without one, ws errors
    // (bad opcodes, RSV bits, invalid UTF-8, oversized frames) would crash the process; ws closes
    // the socket itself.
    (socket as SocketWithConnection)[CONNECTION] = conn;
    const listeners = this.socketListeners;
    socket.on('error', listeners.error);
    socket.on('close', listeners.close);
    socket.on('pong', listeners.pong);
    socket.on('message', listeners.message);
    this.connections.add(conn);

    if (this.shuttingDown) {
      conn.close(CloseCode.ServiceRestart);
      return;
    }
    if (perIp.count > this.config.limits.maxConnectionsPerIp) {
      this.reject(conn, CloseCode.RateLimited, 'too many connections from this address');
      return;
    }
    void this.attach(conn);
  }

  /** Runs `fn` with the loaded room held open (REST reads and writes). */
  async withRoom<T>(docId: string, fn: (room: Room) => T | Promise<T>): Promise<T> {
    const room = await this.acquire(docId);
    room.holds += 1;
    try {
      return await fn(room);
    } finally {
      room.holds -= 1;
      this.maybeUnload(room);
    }
  }

  /** A server-side write: applied as one transaction, committed and fanned out before resolving. */
  async write(docId: string, change: (doc: Y.Doc) => void): Promise<void> {
    await this.withRoom(docId, async (room) => {
      room.doc.transact(() => change(room.doc), SERVER_ORIGIN);
      await this.flushNow();
    });
  }

  /** Closes every client of a deleted document (4404) and drops it from memory. */
  closeDoc(docId: string): void {
    const room = this.rooms.get(docId);
    if (room === undefined) return;
    this.rooms.delete(docId);
    this.dirty.delete(room);
    for (const conn of [...room.conns]) conn.close(CloseCode.DocumentNotFound);
    room.conns.clear();
    room.pending = [];
    room.destroy();
  }

  /** Commits everything applied so far; rejects when storage fails (the updates stay queued). */
  flushNow(): Promise<void> {
    return this.enqueue(() => this.flushOnce());
  }

  /** Stops accepting, flushes, closes every socket with 1012, flushes what arrived meanwhile. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.runShutdown();
    return this.shutdownPromise;
  }

  // ---- connections --------------------------------------------------------------------------

  private async attach(conn: Connection): Promise<void> {
    let room: Room;
    const acquiring = this.acquire(conn.docId);
    // acquire() registered the room before its first await: wait in it, so that the loader can
    // answer this client's first sync request before the document is fully applied
    const loading = this.rooms.get(conn.docId);
    loading?.waiting.add(conn);
    try {
      room = await acquiring;
    } catch (err) {
      if (err instanceof DocMissingError) {
        this.reject(conn, CloseCode.DocumentNotFound, 'document not found');
      } else {
        conn.log.error({ err }, 'document could not be loaded');
        this.reject(conn, CloseCode.InternalError, 'document could not be loaded');
      }
      return;
    } finally {
      loading?.waiting.delete(conn);
    }
    if (conn.closed || !conn.acceptsInput) {
      this.maybeUnload(room);
      return;
    }
    if (room.conns.size >= this.config.limits.maxClientsPerDoc) {
      this.metrics.rejected.inc(1, { limit: 'clients_per_doc' });
      this.reject(
        conn,
        CloseCode.TooManyClients,
        `more than ${this.config.limits.maxClientsPerDoc} clients`,
      );
      this.maybeUnload(room);
      return;
    }
    room.conns.add(conn);
    conn.room = room;
    conn.docId = room.id;
    if (room.unloadTimer !== undefined) {
      clearTimeout(room.unloadTimer);
      room.unloadTimer = undefined;
    }
    conn.send(encodeSyncStep1(Y.encodeStateVector(room.doc)));
    const awareness = room.fullAwareness();
    if (awareness !== undefined) conn.send(awareness);
    const queued = conn.queue ?? [];
    conn.queue = undefined;
    conn.queueBytes = 0;
    for (const message of queued) {
      if (!conn.acceptsInput) break;
      this.process(conn, room, message);
    }
  }

  private onMessage(
    conn: Connection,
    data: Buffer | ArrayBuffer | Buffer[],
    isBinary: boolean,
  ): void {
    if (!conn.acceptsInput) return;
    if (!isBinary) {
      this.reject(conn, CloseCode.UnsupportedData, 'text frames are not supported');
      return;
    }
    const bytes = toBytes(data);
    if (!conn.admit(bytes.length)) {
      this.metrics.rejected.inc(1, { limit: 'message_rate' });
      this.reject(conn, CloseCode.RateLimited, 'message rate limit');
      return;
    }
    const room = conn.room;
    if (room === undefined) {
      const queue = (conn.queue ??= []);
      if (
        queue.length >= MAX_QUEUED_MESSAGES ||
        conn.queueBytes + bytes.length > 4 * this.config.limits.wsMaxMessageBytes
      ) {
        this.reject(conn, CloseCode.TryAgainLater, 'too much sent before the document loaded');
        return;
      }
      queue.push(bytes);
      conn.queueBytes += bytes.length;
      const loading = this.rooms.get(conn.docId);
      if (loading?.fullState !== undefined) this.answerWhileLoading(conn, loading);
      return;
    }
    this.process(conn, room, bytes);
  }

  private process(conn: Connection, room: Room, bytes: Uint8Array): void {
    const message = decodeClientMessage(bytes, {
      maxAwarenessBytes: this.config.limits.wsMaxAwarenessBytes,
      maxAwarenessStates: MAX_AWARENESS_STATES,
    });
    switch (message.kind) {
      case 'violation':
        this.reject(conn, message.code, message.reason);
        return;
      case 'syncStep1':
        if (room.hasUncommitted && !this.sendFirst) {
          room.deferredReplies.push({ conn, stateVector: message.stateVector });
          this.markDirty(room);
        } else {
          this.replySyncStep2(conn, room, message.stateVector);
        }
        return;
      case 'update': {
        const limit = this.config.limits.maxDocBytes;
        if (room.storedBytes + room.pendingBytes + message.update.length > limit) {
          this.metrics.rejected.inc(1, { limit: 'doc_size' });
          this.reject(conn, CloseCode.DocumentTooLarge, `document would exceed ${limit} bytes`);
          return;
        }
        this.metrics.updatesReceived.inc();
        const result = applyClientUpdate(room.doc, message.update, conn);
        if (!result.ok) this.reject(conn, CloseCode.InvalidPayload, result.reason);
        return;
      }
      case 'awareness': {
        // R12 a: only the socket that announced an awareness id may speak for it. Stock clients
        // echo the states they receive (same clock: y-protocols ignores them), so those entries
        // are dropped quietly; a newer state for another live socket's id is a forgery, or a
        // client whose old socket has not timed out yet (same id after a network change). Both
        // are refused with a transient code and the old socket is probed: once it is gone, the
        // retry takes the id over.
        let update = message.update;
        const foreign = message.entries.filter((entry) => {
          const owner = room.awarenessOwners.get(entry.client);
          return owner !== undefined && owner !== conn;
        });
        if (foreign.length > 0) {
          const forged = foreign.find(
            (entry) => entry.clock > (room.awareness.meta.get(entry.client)?.clock ?? 0),
          );
          if (forged !== undefined) {
            this.metrics.rejected.inc(1, { limit: 'awareness_identity' });
            this.reject(conn, CloseCode.TryAgainLater, 'presence id belongs to another connection');
            const owner = room.awarenessOwners.get(forged.client);
            if (owner !== undefined) this.probe(owner);
            return;
          }
          const own = message.entries.filter((entry) => !foreign.includes(entry));
          if (own.length === 0) return;
          update = encodeAwarenessEntries(own);
        }
        try {
          awarenessProtocol.applyAwarenessUpdate(room.awareness, update, conn);
        } catch {
          this.reject(conn, CloseCode.InvalidPayload, 'malformed awareness update');
        }
        return;
      }
      case 'queryAwareness': {
        const awareness = room.fullAwareness();
        if (awareness !== undefined) conn.send(awareness);
        return;
      }
      case 'subscribeCommits':
        conn.commitSubscriber = true;
        // The first ack, like a SyncStep2 reply, waits for the commit of what the doc holds.
        if (room.hasUncommitted) {
          room.deferredAcks.push(conn);
          this.markDirty(room);
        } else {
          conn.send(encodeCommitAck(Y.encodeStateVector(room.doc)));
        }
        return;
    }
  }

  private replySyncStep2(conn: Connection, room: Room, stateVector: Uint8Array): void {
    let replies: Uint8Array[];
    try {
      replies = room.syncReplyFor(stateVector);
    } catch {
      this.reject(conn, CloseCode.InvalidPayload, 'bad state vector');
      return;
    }
    for (const reply of replies) conn.send(reply);
  }

  private reject(conn: Connection, code: CloseCodeValue, reason: string): void {
    if (!conn.acceptsInput) return;
    conn.log.warn({ code, reason }, 'closing websocket');
    conn.close(code);
  }

  private onClose(conn: Connection, code: number): void {
    conn.closed = true;
    conn.acceptsInput = false;
    conn.queue = undefined;
    this.connections.delete(conn);
    const perIp = this.perIp.get(conn.ip);
    if (perIp !== undefined && --perIp.count <= 0) this.perIp.delete(conn.ip);
    // label only known codes, so a client cannot create thousands of series
    this.metrics.wsCloses.inc(1, { code: KNOWN_CLOSE_CODES.has(code) ? String(code) : 'other' });
    const room = conn.room;
    if (room !== undefined) {
      room.removeConnection(conn);
      this.maybeUnload(room);
    }
  }

  /** Pings `conn` and terminates it unless it answers within PROBE_MS. */
  private probe(conn: Connection): void {
    if (this.probing.has(conn) || conn.closed) return;
    this.probing.add(conn);
    conn.alive = false;
    try {
      conn.socket.ping();
    } catch {
      // a socket that cannot be pinged fails the probe below
    }
    setTimeout(() => {
      this.probing.delete(conn);
      if (!conn.alive && !conn.closed) {
        conn.log.info('websocket did not answer a probe; terminating');
        conn.socket.terminate();
      }
    }, PROBE_MS).unref();
  }

  private checkAlive(): void {
    for (const conn of this.connections) {
      if (!conn.alive) {
        conn.log.info('websocket missed a pong; terminating');
        conn.socket.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.socket.ping();
      } catch {
        conn.socket.terminate();
      }
    }
  }

  // ---- rooms ----------------------------------------------------------------------------------

  private async acquire(docId: string): Promise<Room> {
    for (;;) {
      let room = this.rooms.get(docId);
      if (room === undefined) {
        room = new Room(docId, (r, update, author) => this.onRoomUpdate(r, update, author));
        this.rooms.set(docId, room);
        room.ready = this.load(room);
      }
      if (room.unloadTimer !== undefined) {
        clearTimeout(room.unloadTimer);
        room.unloadTimer = undefined;
      }
      await room.ready;
      // the room may have been unloaded or deleted while we waited: take a fresh one
      if (!room.closed) return room;
    }
  }

  private async load(room: Room): Promise<void> {
    const started = performance.now();
    const drop = () => {
      if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
      room.destroy();
    };
    let stored;
    try {
      stored = await this.storage.loadDoc(room.id);
    } catch (err) {
      drop();
      throw new DocLoadError(room.id, 'storage failed while loading', { cause: err });
    }
    if (stored === undefined) {
      drop();
      throw new DocMissingError(room.id);
    }
    try {
      const rows = stored.snapshot === null ? stored.updates : [stored.snapshot, ...stored.updates];
      let bytes = 0;
      for (const row of rows) bytes += row.length;
      if (bytes < BIG_DOC_BYTES || !this.workerUsable()) {
        this.loadOnLoop(room, rows);
      } else {
        await this.loadInSlices(room, [...rows]);
      }
    } catch (err) {
      // A corrupt stored row quarantines this document: it is never replaced by an empty doc.
      this.log.error({ err, docId: room.id }, 'stored document is corrupt; refusing to load it');
      drop();
      throw new DocLoadError(room.id, 'stored document is corrupt', { cause: err });
    }
    if (room.closed) throw new DocMissingError(room.id); // deleted while it loaded
    room.trackUpdates();
    migrateLoadedDocument(room.doc, SERVER_ORIGIN, this.log.child({ docId: room.id }));
    room.storedBytes = stored.storedBytes;
    room.tailCount = stored.updates.length;
    room.lastSeq = stored.lastSeq;
    const seconds = (performance.now() - started) / 1000;
    this.metrics.docLoadSeconds.observe(seconds);
    this.log.debug(
      { docId: room.id, ms: Math.round(seconds * 1000), bytes: stored.storedBytes },
      'document loaded',
    );
    if (room.tailCount >= this.config.storage.compactAfterUpdates) this.queueCompaction(room);
  }

  /**
   * Loads a big document without stalling other rooms: the state worker checks, merges and cuts
   * the stored rows into slices of a few thousand structs; each slice is applied in its own turn
   * of the event loop. The merged state is kept to answer fresh clients without re-encoding.
   */
  private async loadInSlices(room: Room, rows: Uint8Array[]): Promise<void> {
    let prepared;
    try {
      prepared = await this.stateWorker.prepare(rows, LOAD_SLICE_STRUCTS);
    } catch (err) {
      if (err instanceof MalformedInputError) throw err;
      this.workerFailed(err);
      this.loadOnLoop(room, rows);
      return;
    }
    room.fullState = prepared.state;
    for (const conn of room.waiting) this.answerWhileLoading(conn, room);
    for (const slice of prepared.chunks) {
      if (room.closed) return;
      Y.applyUpdate(room.doc, slice, LOAD_ORIGIN);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const store = room.doc.store;
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      throw new Error('stored updates have missing dependencies');
    }
  }

  /** Loads a document in one go on the event loop (small ones, or when the worker is down). */
  private loadOnLoop(room: Room, rows: readonly Uint8Array[]): void {
    let bytes = 0;
    for (const row of rows) {
      const problem = checkUpdate(row);
      if (problem !== undefined) throw new Error(`stored update is malformed: ${problem}`);
      bytes += row.length;
    }
    room.doc.transact(() => {
      for (const row of rows) Y.applyUpdate(room.doc, row, LOAD_ORIGIN);
    }, LOAD_ORIGIN);
    room.fullState = rows[0] ?? EMPTY_UPDATE;
    room.fullStateTail = rows.slice(1);
    room.fullStateTailBytes = bytes - room.fullState.length;
  }

  /** False for a while after the state worker failed: big documents are then handled here. */
  private workerUsable(): boolean {
    return performance.now() - this.workerFailedAt > WORKER_RETRY_MS;
  }

  private workerFailed(err: unknown): void {
    if (this.workerUsable()) {
      this.log.error(
        { err },
        'the state worker failed; big documents load on the event loop for a while',
      );
    }
    this.workerFailedAt = performance.now();
  }

  /**
   * A client waiting for a big document that asked for everything (SyncStep1 with an empty state
   * vector, the bytes [0, 0, 1, 0]) gets the stored state as soon as the worker merged it, while
   * the room still applies its slices; the rest of what it sent waits for the room.
   */
  private answerWhileLoading(conn: Connection, room: Room): void {
    const queue = conn.queue;
    const state = room.fullState;
    if (queue === undefined || state === undefined || !conn.acceptsInput) return;
    const rest = queue.filter((bytes) => !isFullSyncRequest(bytes));
    if (rest.length === queue.length) return;
    conn.queue = rest;
    conn.queueBytes = rest.reduce((n, bytes) => n + bytes.length, 0);
    conn.send(encodeSyncStep2(state));
  }

  /** Folds the cached full state's tail into it on the worker, once the tail is long. */
  private maybeRefreshFullState(room: Room): void {
    if (
      room.fullState === undefined ||
      room.fullStateRefreshing ||
      (room.fullStateTail.length < FULL_STATE_TAIL_UPDATES &&
        room.fullStateTailBytes < Math.max(FULL_STATE_TAIL_BYTES, room.fullState.length / 2))
    )
      return;
    const base = room.fullState;
    const folded = room.fullStateTail.length;
    const foldedBytes = room.fullStateTailBytes;
    if (base.length + foldedBytes < BIG_DOC_BYTES || !this.workerUsable()) {
      // small: encoding the doc costs less than a trip to the worker
      room.fullState = Y.encodeStateAsUpdate(room.doc);
      room.fullStateTail = [];
      room.fullStateTailBytes = 0;
      return;
    }
    room.fullStateRefreshing = true;
    this.backgroundWorker
      .snapshot([base, ...room.fullStateTail])
      .then((merged) => {
        if (room.closed || room.fullState !== base) return;
        room.fullState = merged;
        room.fullStateTail = room.fullStateTail.slice(folded);
        room.fullStateTailBytes -= foldedBytes;
      })
      .catch((err: unknown) => {
        // without the worker the cache cannot be kept small: drop it, replies encode the doc
        this.workerFailed(err);
        if (room.fullState === base) {
          room.fullState = undefined;
          room.fullStateTail = [];
          room.fullStateTailBytes = 0;
        }
      })
      .finally(() => {
        room.fullStateRefreshing = false;
      });
  }

  private onRoomUpdate(room: Room, update: Uint8Array, author: Connection | undefined): void {
    this.maybeRefreshFullState(room);
    if (this.sendFirst) {
      if (author !== undefined) room.pendingAuthors.add(author);
      if (!this.outboxRooms.has(room)) {
        // the room's first update in this turn goes at once; later ones in the same turn are
        // merged into one frame at the end of the turn
        room.broadcast(encodeUpdate(update), author);
        this.outboxRooms.add(room);
      } else {
        room.outbox.push(update);
        if (author !== undefined) room.outboxAuthors.add(author);
      }
      if (!this.outboxScheduled) {
        this.outboxScheduled = true;
        setImmediate(() => this.sendOutboxes());
      }
    }
    room.pending.push(update);
    room.pendingBytes += update.length;
    this.metrics.updatesRate.mark();
    this.markDirty(room);
  }

  private maybeUnload(room: Room): void {
    if (!room.idle || room.closed || room.unloadTimer !== undefined || this.shuttingDown) return;
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = undefined;
      void this.unload(room);
    }, this.config.storage.unloadDelayMs);
  }

  /** Unloads an idle room, never while one of its updates is uncommitted (R34). */
  private async unload(room: Room): Promise<void> {
    if (!room.idle || room.closed) return;
    if (room.hasUncommitted) {
      try {
        await this.flushNow();
      } catch {
        // storage is failing: keep the room (and its updates) in memory and try again later
        this.maybeUnload(room);
        return;
      }
    }
    if (
      room.tailCount > 0 &&
      room.tailCount >= Math.min(50, this.config.storage.compactAfterUpdates)
    ) {
      await this.compact(room).catch((err: unknown) => {
        this.log.warn({ err, docId: room.id }, 'compaction before unload failed');
      });
    }
    if (!room.idle || room.closed || room.hasUncommitted) {
      this.maybeUnload(room);
      return;
    }
    if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
    this.dirty.delete(room);
    room.destroy();
    this.log.debug({ docId: room.id }, 'document unloaded');
  }

  // ---- group commit -------------------------------------------------------------------------

  /**
   * send-first: the updates a room received after its first one in this turn of the event loop
   * go out as one merged frame (before the commit of the same turn). Their authors get nothing
   * yet, not even each other's: their echo after the commit carries the whole batch, and it
   * stays their acknowledgement.
   */
  private sendOutboxes(): void {
    this.outboxScheduled = false;
    for (const room of this.outboxRooms) {
      const updates = room.outbox;
      const authors = room.outboxAuthors;
      room.outbox = [];
      room.outboxAuthors = new Set();
      if (room.closed || updates.length === 0) continue;
      const frame = encodeUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
      for (const conn of room.conns) if (!authors.has(conn)) conn.send(frame);
    }
    this.outboxRooms.clear();
  }

  private markDirty(room: Room): void {
    this.dirty.add(room);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.retryTimer !== undefined) return;
    this.flushScheduled = true;
    const run = () => {
      this.flushScheduled = false;
      this.flushNow().catch(() => {
        // logged in flushOnce; a retry is scheduled there
      });
    };
    const windowMs = this.config.storage.flushWindowMs;
    if (windowMs === 0) setImmediate(run);
    else setTimeout(run, windowMs);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.lane.then(task);
    this.lane = result.catch(() => undefined);
    return result;
  }

  /** One group commit: every dirty room's updates in one transaction, then fan-out. */
  private async flushOnce(): Promise<void> {
    // send-first: others get this turn's updates before the commit starts
    if (this.outboxRooms.size > 0) this.sendOutboxes();
    if (this.dirty.size === 0) return;
    const work = [...this.dirty].map((room) => {
      const updates = room.pending;
      const bytes = room.pendingBytes;
      const authors = room.pendingAuthors;
      room.pending = [];
      room.pendingBytes = 0;
      room.pendingAuthors = new Set();
      if (updates.length > 0) room.inFlight = true;
      const replies = room.deferredReplies;
      room.deferredReplies = [];
      // Computed now, so the replies hold exactly what this commit makes durable.
      const replyFrames = replies.map((r) => {
        try {
          return { conn: r.conn, frames: room.syncReplyFor(r.stateVector) };
        } catch {
          return { conn: r.conn, frames: undefined };
        }
      });
      const acks = room.deferredAcks;
      room.deferredAcks = [];
      // The committed state vector: the doc as this commit makes it durable. Encoded once per
      // room per commit, and only when somebody subscribed.
      const ackFrame =
        acks.length > 0 || (updates.length > 0 && room.hasCommitSubscribers)
          ? encodeCommitAck(Y.encodeStateVector(room.doc))
          : undefined;
      return { room, updates, bytes, authors, replies, replyFrames, acks, ackFrame };
    });
    this.dirty.clear();
    const batches = work
      .filter((w) => w.updates.length > 0 && !w.room.closed)
      .map((w) => ({ docId: w.room.id, updates: w.updates }));
    const started = performance.now();
    let lastSeqs: Map<string, number>;
    try {
      lastSeqs =
        batches.length > 0
          ? await this.storage.appendUpdates(batches, Date.now())
          : new Map<string, number>();
    } catch (err) {
      for (const w of work) {
        if (w.room.closed) continue;
        w.room.inFlight = false;
        w.room.pending = w.updates.concat(w.room.pending);
        w.room.pendingBytes += w.bytes;
        for (const author of w.authors) w.room.pendingAuthors.add(author);
        w.room.deferredReplies = w.replies.concat(w.room.deferredReplies);
        w.room.deferredAcks = w.acks.concat(w.room.deferredAcks);
        this.dirty.add(w.room);
      }
      this.metrics.storageErrors.inc();
      this.storageHealthy = false;
      this.retryDelayMs = Math.min(MAX_RETRY_DELAY_MS, Math.max(50, this.retryDelayMs * 2));
      this.log.error(
        { err, retryInMs: this.retryDelayMs },
        'storage write failed; updates kept in memory and retried',
      );
      this.scheduleRetry();
      throw err;
    }
    if (batches.length > 0) {
      this.metrics.storageWriteSeconds.observe((performance.now() - started) / 1000);
      this.metrics.flushes.inc();
      this.metrics.updatesCommitted.inc(batches.reduce((n, b) => n + b.updates.length, 0));
    }
    this.storageHealthy = true;
    this.retryDelayMs = 0;
    for (const { room, updates, bytes, authors, replyFrames, acks, ackFrame } of work) {
      room.inFlight = false;
      if (room.closed) continue;
      for (const { conn, frames } of replyFrames) {
        if (frames === undefined) this.reject(conn, CloseCode.InvalidPayload, 'bad state vector');
        else for (const frame of frames) conn.send(frame);
      }
      if (updates.length > 0) {
        room.lastSeq = lastSeqs.get(room.id) ?? room.lastSeq;
        room.tailCount += updates.length;
        room.storedBytes += bytes;
        const frame = encodeUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
        if (!this.sendFirst) room.broadcast(frame);
        else for (const author of authors) if (room.conns.has(author)) author.send(frame);
      }
      if (ackFrame !== undefined) {
        // after the echo, so a subscriber has the update before it hears it is committed
        for (const conn of room.conns) {
          if (conn.commitSubscriber && (updates.length > 0 || acks.includes(conn)))
            conn.send(ackFrame);
        }
      }
      if (updates.length > 0) {
        if (room.tailCount >= this.config.storage.compactAfterUpdates) this.queueCompaction(room);
      }
      if (room.idle) this.maybeUnload(room);
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.dirty.size > 0) this.scheduleFlush();
    }, this.retryDelayMs);
  }

  private queueCompaction(room: Room): void {
    if (room.compactionQueued || room.closed) return;
    room.compactionQueued = true;
    setImmediate(() => {
      this.compact(room).catch((err: unknown) => {
        this.log.warn(
          { err, docId: room.id },
          'compaction failed; will retry after the next commit',
        );
      });
    });
  }

  /**
   * Folds the room's log into a snapshot. The commit and the write run in the storage lane,
   * between group commits; a big document's snapshot is encoded on the state worker in between,
   * outside the lane, so neither the event loop nor other rooms' commits wait for it.
   */
  private async compact(room: Room): Promise<void> {
    room.compactionQueued = false;
    const captured = await this.enqueue(async () => {
      if (room.closed || room.tailCount === 0) return undefined;
      // The snapshot must hold committed state only: commit what is pending first.
      for (let i = 0; i < 3 && room.hasUncommitted; i++) await this.flushOnce();
      if (room.hasUncommitted || room.closed) return undefined;
      const onLoop =
        room.fullState === undefined || room.storedBytes < BIG_DOC_BYTES || !this.workerUsable();
      return {
        uptoSeq: room.lastSeq,
        tailCount: room.tailCount,
        storedBytes: room.storedBytes,
        base: room.fullState,
        folded: room.fullStateTail.length,
        parts:
          onLoop || room.fullState === undefined ? [] : [room.fullState, ...room.fullStateTail],
        snapshot: onLoop ? Y.encodeStateAsUpdate(room.doc) : undefined,
      };
    });
    if (captured === undefined) return;
    let snapshot = captured.snapshot;
    if (snapshot === undefined) {
      try {
        snapshot = await this.backgroundWorker.snapshot(captured.parts);
      } catch (err) {
        this.workerFailed(err);
        return this.compact(room); // again, on the event loop this time
      }
    }
    const written = snapshot;
    await this.enqueue(async () => {
      if (room.closed) return;
      await this.storage.compact(room.id, written, captured.uptoSeq);
      // updates committed while the snapshot was encoded stay in the log
      room.tailCount -= captured.tailCount;
      room.storedBytes = written.length + (room.storedBytes - captured.storedBytes);
      if (room.fullState !== undefined && room.fullState === captured.base) {
        // the snapshot is the cached state plus the tail as it was: fold that part in
        const folded = captured.folded;
        room.fullState = written;
        for (const update of room.fullStateTail.slice(0, folded))
          room.fullStateTailBytes -= update.length;
        room.fullStateTail = room.fullStateTail.slice(folded);
      }
      this.metrics.compactions.inc();
      this.log.debug(
        { docId: room.id, bytes: written.length, uptoSeq: captured.uptoSeq },
        'document compacted',
      );
    });
  }

  // ---- shutdown -------------------------------------------------------------------------------

  private async runShutdown(): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.keepalive);
    this.connectRate.close();
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    await this.flushNow().catch((err: unknown) =>
      this.log.error({ err }, 'flush at shutdown failed'),
    );
    // Keep applying what clients still send until their close handshake completes.
    for (const conn of this.connections) conn.close(CloseCode.ServiceRestart, undefined, true);
    const deadline = Date.now() + this.config.shutdownTimeoutMs / 2;
    while (this.connections.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const conn of this.connections) conn.socket.terminate();
    await this.flushNow().catch((err: unknown) =>
      this.log.error({ err }, 'final flush at shutdown failed'),
    );
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
    await Promise.all([this.stateWorker.close(), this.backgroundWorker.close()]);
  }
}
