import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { ServerMetrics } from '../metrics.ts';
import type { Storage } from '../storage/Storage.ts';
import type { GroupCommit } from './GroupCommit.ts';
import type { Extension } from './hooks.ts';
import type { Room } from './Room.ts';
import { BIG_DOC_BYTES, type StateWorkers } from './StateWorkers.ts';

/** At unload, a tail this long (or `compactAfterUpdates` if smaller) is folded first. */
const UNLOAD_COMPACT_UPDATES = 50;

export interface CompactorOptions {
  readonly storage: Storage;
  readonly commit: GroupCommit;
  readonly workers: StateWorkers;
  readonly log: Logger;
  readonly metrics: ServerMetrics;
  readonly compactAfterUpdates: number;
}

/**
 * Folds a room's log into a snapshot once it holds `compactAfterUpdates` updates: after a load
 * or a commit that reached it, and before an unload when the tail is long. Joined to the core by
 * hooks only (`onLoadDocument`, `afterCommit`, `beforeUnload`).
 */
export class Compactor {
  readonly extension: Extension;

  constructor(private readonly options: CompactorOptions) {
    const threshold = options.compactAfterUpdates;
    this.extension = {
      name: 'compactor',
      onLoadDocument: ({ room }) => {
        if (room.tailCount >= threshold) this.queue(room);
      },
      afterCommit: ({ room }) => {
        if (room.tailCount >= threshold) this.queue(room);
      },
      beforeUnload: async ({ room }) => {
        if (room.tailCount > 0 && room.tailCount >= Math.min(UNLOAD_COMPACT_UPDATES, threshold)) {
          await this.compact(room).catch((err: unknown) => {
            options.log.warn({ err, docId: room.id }, 'compaction before unload failed');
          });
        }
      },
    };
  }

  private queue(room: Room): void {
    if (room.compactionQueued || room.closed) return;
    room.compactionQueued = true;
    setImmediate(() => {
      this.compact(room).catch((err: unknown) => {
        this.options.log.warn(
          { err, docId: room.id },
          'compaction failed; will retry after the next commit',
        );
      });
    });
  }

  /**
   * The capture and the write run in the storage lane, between group commits; a big document's
   * snapshot is encoded on the state worker in between, outside the lane, so neither the event
   * loop nor other rooms' commits wait for it.
   */
  private async compact(room: Room): Promise<void> {
    const { commit, workers, storage, metrics, log } = this.options;
    room.compactionQueued = false;
    const captured = await commit.exclusive(async (commitPending) => {
      if (room.closed || room.tailCount === 0) return undefined;
      // The snapshot must hold committed state only: commit what is pending first.
      for (let i = 0; i < 3 && room.hasUncommitted; i++) await commitPending();
      if (room.hasUncommitted || room.closed) return undefined;
      const cache = room.cache.capture();
      const onLoop =
        cache.base === undefined || room.storedBytes < BIG_DOC_BYTES || !workers.usable();
      return {
        uptoSeq: room.lastSeq,
        tailCount: room.tailCount,
        storedBytes: room.storedBytes,
        cache,
        snapshot: onLoop ? Y.encodeStateAsUpdate(room.doc) : undefined,
      };
    });
    if (captured === undefined) return;
    let snapshot = captured.snapshot;
    if (snapshot === undefined) {
      try {
        snapshot = await workers.background.snapshot(captured.cache.parts);
      } catch (err) {
        workers.failed(err);
        return this.compact(room); // again, on the event loop this time
      }
    }
    const written = snapshot;
    await commit.exclusive(async () => {
      if (room.closed) return;
      await storage.compact(room.id, written, captured.uptoSeq);
      room.compacted(captured, written);
      metrics.compactions.inc();
      log.debug(
        { docId: room.id, bytes: written.length, uptoSeq: captured.uptoSeq },
        'document compacted',
      );
    });
  }
}
