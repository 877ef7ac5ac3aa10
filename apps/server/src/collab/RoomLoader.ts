import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { ServerMetrics } from '../metrics.ts';
import type { Storage, StoredDoc } from '../storage/Storage.ts';
import { CloseCode, LOAD_ORIGIN, checkUpdate } from '@syspat/protocol';
import { DocLoadError, DocMissingError } from './docErrors.ts';
import type { Hooks } from './hooks.ts';
import { answerWhileLoading } from './preloadQueue.ts';
import { Room, type UpdateListener } from './Room.ts';
import { MalformedInputError } from './stateWorker.ts';
import { BIG_DOC_BYTES, type StateWorkers } from './StateWorkers.ts';

const LOAD_SLICE_STRUCTS = 4000;

export interface RoomLoaderOptions {
  readonly storage: Storage;
  readonly workers: StateWorkers;
  readonly hooks: Hooks;
  readonly log: Logger;
  readonly metrics: ServerMetrics;
  readonly unloadDelayMs: number;
}

/**
 * The registry of open rooms: acquires a room (loading it from storage, on the event loop or
 * through the state worker), and unloads it once idle, after the `beforeUnload` hooks agreed.
 * Every update applied to a loaded room is reported through the `onChange` hook.
 */
export class RoomLoader {
  private readonly rooms = new Map<string, Room>();
  private unloading = true;
  private readonly reportUpdate: UpdateListener;

  constructor(private readonly options: RoomLoaderOptions) {
    const hooks = options.hooks;
    this.reportUpdate = (room, update, origin) =>
      hooks.notify('onChange', { docId: room.id, document: room.doc, room, update, origin });
  }

  get size(): number {
    return this.rooms.size;
  }

  /** The room of `docId` if it is open or loading. */
  get(docId: string): Room | undefined {
    return this.rooms.get(docId);
  }

  /** The loaded room of `docId`; loads it first when needed. Rejects when missing or broken. */
  async acquire(docId: string): Promise<Room> {
    for (;;) {
      let room = this.rooms.get(docId);
      if (room === undefined) {
        room = new Room(docId);
        this.rooms.set(docId, room);
        room.ready = this.load(room);
      }
      room.cancelUnload();
      await room.ready;
      // the room may have been unloaded or deleted while we waited: take a fresh one
      if (!room.closed) return room;
    }
  }

  /** Schedules the unload of an idle room. */
  maybeUnload(room: Room): void {
    if (!room.idle || room.closed || room.unloadTimer !== undefined || !this.unloading) return;
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = undefined;
      void this.unload(room);
    }, this.options.unloadDelayMs);
  }

  /** Closes every client of a deleted document (4404) and drops it from memory. */
  closeDoc(docId: string): void {
    const room = this.rooms.get(docId);
    if (room === undefined) return;
    this.rooms.delete(docId);
    for (const conn of [...room.conns]) conn.close(CloseCode.DocumentNotFound);
    room.conns.clear();
    room.destroy();
  }

  /** Shutdown: nothing unloads from now on. */
  stopUnloading(): void {
    this.unloading = false;
  }

  destroyAll(): void {
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
  }

  /** Unloads an idle room, never while one of its updates is uncommitted (R34). */
  private async unload(room: Room): Promise<void> {
    if (!room.idle || room.closed) return;
    try {
      await this.options.hooks.gate('beforeUnload', { docId: room.id, document: room.doc, room });
    } catch {
      // a part refused (storage is failing): keep the room, with its updates, and try later
      this.maybeUnload(room);
      return;
    }
    if (!room.idle || room.closed || room.hasUncommitted) {
      this.maybeUnload(room);
      return;
    }
    this.drop(room);
    this.options.log.debug({ docId: room.id }, 'document unloaded');
  }

  private drop(room: Room): void {
    if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
    room.destroy();
  }

  private async load(room: Room): Promise<void> {
    const { storage, log, metrics, hooks } = this.options;
    const started = performance.now();
    let stored: StoredDoc | undefined;
    try {
      stored = await storage.loadDoc(room.id);
    } catch (err) {
      this.drop(room);
      throw new DocLoadError(room.id, 'storage failed while loading', { cause: err });
    }
    if (stored === undefined) {
      this.drop(room);
      throw new DocMissingError(room.id);
    }
    try {
      const rows = stored.snapshot === null ? stored.updates : [stored.snapshot, ...stored.updates];
      let bytes = 0;
      for (const row of rows) bytes += row.length;
      if (bytes < BIG_DOC_BYTES || !this.options.workers.usable()) loadOnLoop(room, rows);
      else await this.loadInSlices(room, [...rows]);
    } catch (err) {
      // A corrupt stored row quarantines this document: it is never replaced by an empty doc.
      log.error({ err, docId: room.id }, 'stored document is corrupt; refusing to load it');
      this.drop(room);
      throw new DocLoadError(room.id, 'stored document is corrupt', { cause: err });
    }
    if (room.closed) throw new DocMissingError(room.id); // deleted while it loaded
    room.trackUpdates(this.reportUpdate);
    room.loadedFrom(stored);
    const seconds = (performance.now() - started) / 1000;
    metrics.docLoadSeconds.observe(seconds);
    log.debug(
      { docId: room.id, ms: Math.round(seconds * 1000), bytes: stored.storedBytes },
      'document loaded',
    );
    try {
      await hooks.gate('onLoadDocument', { docId: room.id, document: room.doc, room });
    } catch (err) {
      log.error(
        { err, docId: room.id },
        'an onLoadDocument hook failed; the document stays closed',
      );
      this.drop(room);
      throw new DocLoadError(room.id, 'the document could not be opened', { cause: err });
    }
  }

  /**
   * Loads a big document without stalling other rooms: the state worker checks, merges and cuts
   * the stored rows into slices of a few thousand structs; each slice is applied in its own turn
   * of the event loop. The merged state is kept to answer fresh clients without re-encoding.
   */
  private async loadInSlices(room: Room, rows: Uint8Array[]): Promise<void> {
    const workers = this.options.workers;
    let prepared;
    try {
      prepared = await workers.loader.prepare(rows, LOAD_SLICE_STRUCTS);
    } catch (err) {
      if (err instanceof MalformedInputError) throw err;
      workers.failed(err);
      loadOnLoop(room, rows);
      return;
    }
    room.cache.setState(prepared.state);
    for (const conn of room.waiting) answerWhileLoading(conn, room);
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
}

/** Loads a document in one go on the event loop (small ones, or when the worker is down). */
function loadOnLoop(room: Room, rows: readonly Uint8Array[]): void {
  let bytes = 0;
  for (const row of rows) {
    const problem = checkUpdate(row);
    if (problem !== undefined) throw new Error(`stored update is malformed: ${problem}`);
    bytes += row.length;
  }
  room.doc.transact(() => {
    for (const row of rows) Y.applyUpdate(room.doc, row, LOAD_ORIGIN);
  }, LOAD_ORIGIN);
  room.cache.fill(rows, bytes);
}
