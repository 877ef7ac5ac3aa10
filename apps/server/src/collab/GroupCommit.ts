import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Config } from '../config.ts';
import type { ServerMetrics } from '../metrics.ts';
import type { Storage, UpdateBatch } from '../storage/Storage.ts';
import { CloseCode, encodeCommitAck, encodeUpdate } from '@syspat/protocol';
import type { Connection } from './Connection.ts';
import type { BeforeUnloadPayload, ChangePayload, Extension, Hooks } from './hooks.ts';
import type { PendingBatch, Room } from './Room.ts';

const MAX_RETRY_DELAY_MS = 5000;

export interface GroupCommitOptions {
  readonly storage: Storage;
  readonly hooks: Hooks;
  readonly log: Logger;
  readonly metrics: ServerMetrics;
  readonly settings: Config['storage'];
}

const merged = (updates: readonly Uint8Array[]): Uint8Array =>
  updates.length === 1 ? updates[0]! : Y.mergeUpdates([...updates]);

/**
 * Group commit and fan-out. Every stored update (client and server origins) waits in its room's
 * pending buffer; one storage transaction per flush commits every dirty room, then each room
 * sends one merged frame to all its clients (the author's echo is its acknowledgement), then
 * commit acks, then the `afterCommit` hook. A failed commit keeps the updates and retries with
 * back-off. Updates from another instance are committed already: they are sent on at once.
 *
 * send-first (FANOUT_ORDER=send-first): the other clients get an update when it is applied; the
 * commit follows in the same event-loop turn, and only then does the author get its echo.
 */
export class GroupCommit {
  readonly extension: Extension;
  readonly sendFirst: boolean;
  private readonly dirty = new Set<Room>();
  private lane: Promise<unknown> = Promise.resolve();
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 0;
  private storageHealthy = true;
  /** send-first: rooms with updates to send on before the commit. */
  private readonly outboxRooms = new Set<Room>();
  private outboxScheduled = false;

  constructor(private readonly options: GroupCommitOptions) {
    this.sendFirst = options.settings.fanoutOrder === 'send-first';
    this.extension = {
      name: 'group-commit',
      onChange: (payload) => this.onChange(payload),
      beforeUnload: (payload) => this.beforeUnload(payload),
    };
  }

  get healthy(): boolean {
    return this.storageHealthy;
  }

  /** Schedules a commit for `room` (its deferred replies and acks wait for it too). */
  markDirty(room: Room): void {
    this.dirty.add(room);
    this.scheduleFlush();
  }

  /** Commits everything applied so far; rejects when storage fails (the updates stay queued). */
  flushNow(): Promise<void> {
    return this.exclusive(() => this.flushOnce());
  }

  /**
   * Runs `task` in the storage lane, between group commits; `commit` commits what is pending
   * from inside it (for a snapshot that must hold committed state only).
   */
  exclusive<T>(task: (commit: () => Promise<void>) => Promise<T>): Promise<T> {
    const result = this.lane.then(() => task(() => this.flushOnce()));
    this.lane = result.catch(() => undefined);
    return result;
  }

  /** Shutdown: no more retries on a timer (the final flushes are explicit). */
  stopRetrying(): void {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private onChange({ room, update, origin }: ChangePayload): void {
    if (origin.kind === 'instance') {
      // stored by the instance that received it: nothing to commit here
      room.broadcast(encodeUpdate(update));
      return;
    }
    const author = room.memberOf(origin);
    if (this.sendFirst) {
      if (!this.outboxRooms.has(room)) {
        // the room's first update in this turn goes at once; later ones in the same turn are
        // merged into one frame at the end of the turn
        room.broadcast(encodeUpdate(update), author);
        this.outboxRooms.add(room);
      } else {
        room.queueOutbox(update, author);
      }
      if (!this.outboxScheduled) {
        this.outboxScheduled = true;
        setImmediate(() => this.sendOutboxes());
      }
    }
    room.addPending(update, author);
    this.options.metrics.updatesRate.mark();
    this.markDirty(room);
  }

  private async beforeUnload({ room }: BeforeUnloadPayload): Promise<void> {
    if (room.hasUncommitted) await this.flushNow();
  }

  /**
   * send-first: the updates a room received after its first one in this turn of the event loop
   * go out as one merged frame (before the commit of the same turn). Their authors get nothing
   * yet, not even each other's: their echo after the commit carries the whole batch, and it
   * stays their acknowledgement.
   */
  private sendOutboxes(): void {
    this.outboxScheduled = false;
    for (const room of this.outboxRooms) {
      const { updates, authors } = room.takeOutbox();
      if (room.closed || updates.length === 0) continue;
      const frame = encodeUpdate(merged(updates));
      for (const conn of room.conns) if (!authors.has(conn)) conn.send(frame);
    }
    this.outboxRooms.clear();
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
    const windowMs = this.options.settings.flushWindowMs;
    if (windowMs === 0) setImmediate(run);
    else setTimeout(run, windowMs);
  }

  /** One group commit: every dirty room's updates in one transaction, then fan-out. */
  private async flushOnce(): Promise<void> {
    // send-first: others get this turn's updates before the commit starts
    if (this.outboxRooms.size > 0) this.sendOutboxes();
    if (this.dirty.size === 0) return;
    const work = [...this.dirty].filter((room) => !room.closed).map(takeWork);
    this.dirty.clear();
    const batches: UpdateBatch[] = [];
    for (const w of work)
      if (w.batch.updates.length > 0) batches.push({ docId: w.room.id, updates: w.batch.updates });
    const { storage, metrics, log } = this.options;
    const started = performance.now();
    let lastSeqs: Map<string, number>;
    try {
      lastSeqs =
        batches.length > 0
          ? await storage.appendUpdates(batches, Date.now())
          : new Map<string, number>();
    } catch (err) {
      for (const w of work) {
        if (w.room.closed) continue;
        w.room.restorePending(w.batch);
        this.dirty.add(w.room);
      }
      metrics.storageErrors.inc();
      this.storageHealthy = false;
      this.retryDelayMs = Math.min(MAX_RETRY_DELAY_MS, Math.max(50, this.retryDelayMs * 2));
      log.error(
        { err, retryInMs: this.retryDelayMs },
        'storage write failed; updates kept in memory and retried',
      );
      this.scheduleRetry();
      throw err;
    }
    if (batches.length > 0) {
      metrics.storageWriteSeconds.observe((performance.now() - started) / 1000);
      metrics.flushes.inc();
      metrics.updatesCommitted.inc(batches.reduce((n, b) => n + b.updates.length, 0));
    }
    this.storageHealthy = true;
    this.retryDelayMs = 0;
    for (const w of work) this.fanOut(w, lastSeqs.get(w.room.id));
  }

  /** After the commit: deferred replies, the echo, commit acks, then `afterCommit`. */
  private fanOut({ room, batch, replyFrames, ackFrame }: Work, lastSeq: number | undefined): void {
    room.commitSettled(batch, lastSeq);
    if (room.closed) return;
    for (const { conn, frames } of replyFrames) {
      if (frames === undefined) conn.reject(CloseCode.InvalidPayload, 'bad state vector');
      else for (const frame of frames) conn.send(frame);
    }
    const updates = batch.updates;
    let update: Uint8Array | undefined;
    if (updates.length > 0) {
      update = merged(updates);
      const frame = encodeUpdate(update);
      if (!this.sendFirst) room.broadcast(frame);
      else for (const author of batch.authors) if (room.conns.has(author)) author.send(frame);
    }
    if (ackFrame !== undefined) {
      // after the echo, so a subscriber has the update before it hears it is committed
      for (const conn of room.conns) {
        if (conn.commitSubscriber && (updates.length > 0 || batch.acks.includes(conn)))
          conn.send(ackFrame);
      }
    }
    if (update !== undefined) {
      this.options.hooks.notify('afterCommit', {
        docId: room.id,
        document: room.doc,
        room,
        updates,
        update,
        lastSeq: room.lastSeq,
      });
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.dirty.size > 0) this.scheduleFlush();
    }, this.retryDelayMs);
  }
}

interface Work {
  readonly room: Room;
  readonly batch: PendingBatch;
  readonly replyFrames: readonly {
    readonly conn: Connection;
    readonly frames: Uint8Array[] | undefined;
  }[];
  readonly ackFrame: Uint8Array | undefined;
}

/** Takes a room's pending buffer for one commit, with what its clients get once it is durable. */
function takeWork(room: Room): Work {
  const batch = room.takePending();
  // Computed now, so the replies hold exactly what this commit makes durable.
  const replyFrames = batch.replies.map((r) => {
    try {
      return { conn: r.conn, frames: room.syncReplyFor(r.stateVector) };
    } catch {
      return { conn: r.conn, frames: undefined };
    }
  });
  // The committed state vector: the doc as this commit makes it durable. Encoded once per
  // room per commit, and only when somebody subscribed.
  const ackFrame =
    batch.acks.length > 0 || (batch.updates.length > 0 && room.hasCommitSubscribers)
      ? encodeCommitAck(Y.encodeStateVector(room.doc))
      : undefined;
  return { room, batch, replyFrames, ackFrame };
}
