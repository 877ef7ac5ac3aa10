import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Config } from '../config.ts';
import { type AppError, shuttingDown, storageUnavailable } from '../errors.ts';
import type { ServerMetrics } from '../metrics.ts';
import type { Storage } from '../storage/Storage.ts';
import { Admission } from './Admission.ts';
import { CloseCode, REST_ORIGIN, type ServerOrigin, encodeSyncStep1 } from '@syspat/protocol';
import { Compactor } from './Compactor.ts';
import { type CollabSocket, Connection, type ConnectionLimits } from './Connection.ts';
import { GroupCommit } from './GroupCommit.ts';
import { ConnectionRejected, type Extension, Hooks } from './hooks.ts';
import { MessageReceiver } from './MessageReceiver.ts';
import { answerWhileLoading, queueBeforeLoad, takeQueue } from './preloadQueue.ts';
import type { Room } from './Room.ts';
import { RoomLoader } from './RoomLoader.ts';
import { type RawMessage, socketBinder, toBytes } from './socketListeners.ts';
import { StateWorkers } from './StateWorkers.ts';
import { DocMissingError } from './docErrors.ts';

export { DocLoadError, DocMissingError } from './docErrors.ts';

export interface CollabOptions {
  readonly storage: Storage;
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: ServerMetrics;
  /** Run after the core's own parts, in this order, on every hook they define. */
  readonly extensions?: readonly Extension[];
}

export interface ConnectionInfo {
  readonly docId: string;
  readonly ip: string;
}

const KNOWN_CLOSE_CODES = new Set<number>([...Object.values(CloseCode), 1001, 1005, 1006]);
/** How many group commits a committed read waits for before it gives up (a very busy document). */
const MAX_COMMIT_WAITS = 10;

/**
 * The sync core: composes the parts and runs the hooks (hooks.ts). Takes any socket
 * (`handleConnection`); Fastify is wired in `collabRoutes.ts`.
 *
 * | part | responsibility |
 * |---|---|
 * | `Admission` | per-address counts and connect rate, keepalive, probes |
 * | `Connection` | one socket: send with backpressure, rate tokens, close codes |
 * | `preloadQueue` | messages that arrive before the document loaded |
 * | `MessageReceiver` | decoded message → reply, update, presence (R12 a) |
 * | `RoomLoader` | the open rooms: acquire, load on the loop or the worker, unload |
 * | `Room` | one document: Y.Doc, awareness, its pending buffer, its `FullStateCache` |
 * | `GroupCommit` | one storage transaction per flush, then fan-out, then `afterCommit` |
 * | `Compactor` | snapshots, on `onLoadDocument`, `afterCommit` and `beforeUnload` |
 *
 * The parts never call up into this class: it calls them, and they meet in the hooks, where
 * extensions (authorization, fan-out to other instances) join them without editing any part.
 * Every transaction carries a tagged origin (origin.ts) that decides what is stored and sent.
 *
 * Durability rule (FANOUT_ORDER=commit-first, the default): nothing derived from an update
 * leaves the server before it is committed; see GroupCommit for both orders.
 */
export class CollabServer {
  private readonly config: Config;
  private readonly log: Logger;
  private readonly metrics: ServerMetrics;
  private readonly hooks: Hooks;
  private readonly admission: Admission;
  private readonly workers: StateWorkers;
  private readonly loader: RoomLoader;
  private readonly commit: GroupCommit;
  private readonly receiver: MessageReceiver;
  private readonly connectionLimits: ConnectionLimits;
  private readonly bindSocket: (conn: Connection) => void;
  private shuttingDown = false;
  private shutdownPromise: Promise<void> | undefined;
  private connSeq = 0;

  constructor(options: CollabOptions) {
    const { storage, config, log, metrics } = options;
    this.config = config;
    this.log = log;
    this.metrics = metrics;
    const limits = config.limits;
    this.connectionLimits = {
      messagesPerSecond: limits.wsMessagesPerSecond,
      messageBurst: limits.wsMessageBurst,
      bytesPerSecond: limits.wsBytesPerSecond,
      maxMessageBytes: limits.wsMaxMessageBytes,
    };
    const hooks = (this.hooks = new Hooks(log));
    const workers = (this.workers = new StateWorkers(log));
    this.admission = new Admission(limits, metrics, log);
    const loader = (this.loader = new RoomLoader({
      storage,
      workers,
      hooks,
      log,
      metrics,
      unloadDelayMs: config.storage.unloadDelayMs,
    }));
    const commit = (this.commit = new GroupCommit({
      storage,
      hooks,
      log,
      metrics,
      settings: config.storage,
    }));
    const compactor = new Compactor({
      storage,
      commit,
      workers,
      log,
      metrics,
      compactAfterUpdates: config.storage.compactAfterUpdates,
    });
    this.receiver = new MessageReceiver({ limits, metrics, commit, admission: this.admission });
    hooks.register(
      {
        name: 'full-state-cache',
        onChange: ({ room }) => room.cache.maybeRefresh(room.doc, workers, () => room.closed),
      },
      commit.extension,
      compactor.extension,
      {
        // a room that went idle while its commit was in flight
        name: 'unload-when-idle',
        afterCommit: ({ room }) => {
          if (room.idle) loader.maybeUnload(room);
        },
      },
      ...(options.extensions ?? []),
    );
    this.bindSocket = socketBinder({
      message: (conn, data, isBinary) => this.onMessage(conn, data, isBinary),
      close: (conn, code) => this.onClose(conn, code),
    });
  }

  stats() {
    return {
      connections: this.admission.connections.size,
      loadedDocs: this.loader.size,
      storageHealthy: this.commit.healthy,
      shuttingDown: this.shuttingDown,
    };
  }

  /** Starts the state worker threads now (the production entry calls it). */
  warmUp(): void {
    this.workers.warmUp();
  }

  /** Clients connected to `docId` right now. */
  clientsOf(docId: string): number {
    return this.loader.get(docId)?.conns.size ?? 0;
  }

  /** Checks that may refuse an upgrade before it happens (HTTP 503/429). */
  admitUpgrade(ip: string): AppError | undefined {
    if (this.shuttingDown) return shuttingDown();
    return this.admission.admitUpgrade(ip);
  }

  /** Serves one client socket bound to `info.docId` for its whole life. */
  handleConnection(socket: CollabSocket, info: ConnectionInfo): void {
    const ip = this.admission.sharedIp(info.ip);
    const conn = new Connection(
      socket,
      info.docId,
      ip,
      ++this.connSeq,
      this.log,
      this.connectionLimits,
    );
    this.bindSocket(conn);
    const withinLimit = this.admission.add(conn);
    if (this.shuttingDown) {
      conn.close(CloseCode.ServiceRestart);
      return;
    }
    if (!withinLimit) {
      conn.reject(CloseCode.RateLimited, 'too many connections from this address');
      return;
    }
    void this.attach(conn);
  }

  /**
   * Runs `read` on the document as committed: pending updates are committed first, and the check
   * and the read run in one synchronous step after the last commit, so a reader is never shown
   * what a kill -9 could take back. Rejects with DocMissingError / DocLoadError, or 503 when the
   * document changes faster than it can be committed.
   */
  readCommitted<T>(docId: string, read: (doc: Y.Doc) => T): Promise<T> {
    return this.withRoom(docId, async (room) => {
      for (let attempt = 0; room.hasUncommitted; attempt += 1) {
        if (attempt === MAX_COMMIT_WAITS)
          throw storageUnavailable(
            'the document is changing faster than it can be committed; retry the read',
          );
        await this.commit.flushNow();
      }
      return read(room.doc);
    });
  }

  /**
   * A server-side write: `change` runs as one transaction with a server origin, and the result
   * is committed and sent to every client before this resolves (stored once, echoed to nobody).
   * A `change` that throws before it changed anything (a failed precondition) changes nothing.
   * Rejects with 503 when the commit fails: the change is then applied and retried.
   */
  write<T>(
    docId: string,
    change: (doc: Y.Doc) => T,
    origin: ServerOrigin = REST_ORIGIN,
  ): Promise<T> {
    return this.withRoom(docId, async (room) => {
      const result = room.doc.transact(() => change(room.doc), origin);
      try {
        await this.commit.flushNow();
      } catch (err) {
        this.log.error({ err, docId }, 'a server write could not be stored');
        throw storageUnavailable(
          'The change is applied but not yet stored; the server keeps retrying.',
        );
      }
      return result;
    });
  }

  /** Closes every client of a deleted document (4404) and drops it from memory. */
  closeDoc(docId: string): void {
    this.loader.closeDoc(docId);
  }

  /** Commits everything applied so far; rejects when storage fails (the updates stay queued). */
  flushNow(): Promise<void> {
    return this.commit.flushNow();
  }

  /** Stops accepting, flushes, closes every socket with 1012, flushes what arrived meanwhile. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.runShutdown();
    return this.shutdownPromise;
  }

  /** Runs `fn` with the loaded room held open: one hold, never nested. */
  private async withRoom<T>(docId: string, fn: (room: Room) => Promise<T>): Promise<T> {
    const room = await this.loader.acquire(docId);
    room.holds += 1;
    try {
      return await fn(room);
    } finally {
      room.holds -= 1;
      this.loader.maybeUnload(room);
    }
  }

  /** The `onConnect` and `onAuthenticate` gates; false when the connection was refused. */
  private async authenticate(conn: Connection): Promise<boolean> {
    const hooks = this.hooks;
    try {
      const connected = hooks.gate('onConnect', { connection: conn });
      if (connected !== undefined) await connected;
      if (hooks.has('onAuthenticate')) {
        const result = await hooks.authenticate({ connection: conn, docId: conn.docId });
        if (result.readOnly === true) conn.readOnly = true;
      }
    } catch (err) {
      if (err instanceof ConnectionRejected) {
        conn.reject(err.code, err.message);
      } else {
        conn.log.error({ err }, 'a connection hook failed');
        conn.reject(CloseCode.InternalError, 'a connection hook failed');
      }
      return false;
    }
    return conn.acceptsInput;
  }

  private async attach(conn: Connection): Promise<void> {
    if (this.hooks.has('onConnect') || this.hooks.has('onAuthenticate')) {
      if (!(await this.authenticate(conn))) return;
    }
    const loader = this.loader;
    let room: Room;
    const acquiring = loader.acquire(conn.docId);
    // acquire() registered the room before its first await: wait in it, so that the loader can
    // answer this client's first sync request before the document is fully applied
    const loading = loader.get(conn.docId);
    loading?.waiting.add(conn);
    try {
      room = await acquiring;
    } catch (err) {
      if (err instanceof DocMissingError) {
        conn.reject(CloseCode.DocumentNotFound, 'document not found');
      } else {
        conn.log.error({ err }, 'document could not be loaded');
        conn.reject(CloseCode.InternalError, 'document could not be loaded');
      }
      return;
    } finally {
      loading?.waiting.delete(conn);
    }
    if (conn.closed || !conn.acceptsInput) {
      loader.maybeUnload(room);
      return;
    }
    const maxClients = this.config.limits.maxClientsPerDoc;
    if (room.conns.size >= maxClients) {
      this.metrics.rejected.inc(1, { limit: 'clients_per_doc' });
      conn.reject(CloseCode.TooManyClients, `more than ${maxClients} clients`);
      loader.maybeUnload(room);
      return;
    }
    room.conns.add(conn);
    conn.admitted = true;
    conn.docId = room.id;
    room.cancelUnload();
    conn.send(encodeSyncStep1(Y.encodeStateVector(room.doc)));
    const awareness = room.fullAwareness();
    if (awareness !== undefined) conn.send(awareness);
    for (const message of takeQueue(conn)) {
      if (!conn.acceptsInput) break;
      this.receiver.receive(conn, room, message);
    }
  }

  private onMessage(conn: Connection, data: RawMessage, isBinary: boolean): void {
    if (!conn.acceptsInput) return;
    if (!isBinary) {
      conn.reject(CloseCode.UnsupportedData, 'text frames are not supported');
      return;
    }
    const bytes = toBytes(data);
    if (!conn.admit(bytes.length)) {
      this.metrics.rejected.inc(1, { limit: 'message_rate' });
      conn.reject(CloseCode.RateLimited, 'message rate limit');
      return;
    }
    const room = this.loader.get(conn.docId);
    if (!conn.admitted) {
      queueBeforeLoad(conn, bytes, this.config.limits.wsMaxMessageBytes);
      if (room?.cache.state !== undefined) answerWhileLoading(conn, room);
      return;
    }
    if (room !== undefined && room.conns.has(conn)) this.receiver.receive(conn, room, bytes);
  }

  private onClose(conn: Connection, code: number): void {
    conn.closed = true;
    conn.acceptsInput = false;
    conn.queue = undefined;
    this.admission.remove(conn);
    // label only known codes, so a client cannot create thousands of series
    this.metrics.wsCloses.inc(1, { code: KNOWN_CLOSE_CODES.has(code) ? String(code) : 'other' });
    const room = conn.admitted ? this.loader.get(conn.docId) : undefined;
    if (room !== undefined) {
      room.removeConnection(conn);
      this.loader.maybeUnload(room);
    }
    this.hooks.notify('onDisconnect', { connection: conn, code });
  }

  private async runShutdown(): Promise<void> {
    this.shuttingDown = true;
    this.admission.close();
    this.loader.stopUnloading();
    this.commit.stopRetrying();
    await this.flushNow().catch((err: unknown) =>
      this.log.error({ err }, 'flush at shutdown failed'),
    );
    // Keep applying what clients still send until their close handshake completes.
    const connections = this.admission.connections;
    for (const conn of connections) conn.close(CloseCode.ServiceRestart, undefined, true);
    const deadline = Date.now() + this.config.shutdownTimeoutMs / 2;
    while (connections.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const conn of connections) conn.socket.terminate();
    await this.flushNow().catch((err: unknown) =>
      this.log.error({ err }, 'final flush at shutdown failed'),
    );
    this.loader.destroyAll();
    await this.workers.close();
  }
}
