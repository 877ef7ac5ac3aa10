import * as Y from 'yjs';
import { encodeSyncStep2, encodeUpdate } from '@syspat/protocol';
import { BIG_DOC_BYTES, EMPTY_UPDATE, type StateWorkers } from './StateWorkers.ts';

/** From this size on, a fresh client gets the cached state rather than a new encoding of the doc. */
const CACHED_REPLY_BYTES = 64 * 1024;
/**
 * When the updates since the cached full state are folded into it: rarely enough that a busy big
 * document does not keep the worker re-encoding it (each fold is linear in its size), often
 * enough that a fresh client's reply merges a short tail only.
 */
const TAIL_UPDATES = 1000;
const TAIL_BYTES = 256 * 1024;

/** What a compaction read from the cache, to fold its snapshot back in (`foldSnapshot`). */
export interface CacheCapture {
  readonly base: Uint8Array | undefined;
  readonly folded: number;
}

const merged = (updates: readonly Uint8Array[]): Uint8Array =>
  updates.length === 1 ? updates[0]! : Y.mergeUpdates([...updates]);

/**
 * A room's full state as one update, as of its load or last refresh, plus the updates applied
 * since (`state` merged with `tail` = the doc). Refreshed on the state worker for big documents,
 * so that a fresh client's join never re-encodes them on the event loop.
 */
export class FullStateCache {
  state: Uint8Array | undefined;
  private tail: Uint8Array[] = [];
  private tailBytes = 0;
  private refreshing = false;

  /** After a load on the loop: the first stored row is the state, the rest its tail. */
  fill(rows: readonly Uint8Array[], bytes: number): void {
    this.state = rows[0] ?? EMPTY_UPDATE;
    this.tail = rows.slice(1);
    this.tailBytes = bytes - this.state.length;
  }

  /** After the worker merged the stored rows. */
  setState(state: Uint8Array): void {
    this.state = state;
  }

  append(update: Uint8Array): void {
    if (this.state === undefined) return;
    this.tail.push(update);
    this.tailBytes += update.length;
  }

  /**
   * The replies to a client's SyncStep1. A client with an empty state vector gets the cached
   * state of a big document (plus what changed since, as an update), so that nobody's join
   * re-encodes it on the event loop.
   */
  replyFrames(doc: Y.Doc, stateVector: Uint8Array): Uint8Array[] {
    const state = this.state;
    if (
      state !== undefined &&
      state.length + this.tailBytes >= CACHED_REPLY_BYTES &&
      // a tail bigger than the state (a big paste not folded in yet) would put most of the
      // content after the reply, which clients and tools read as "synced": encode instead
      this.tailBytes <= state.length &&
      Y.decodeStateVector(stateVector).size === 0
    ) {
      const frames = [encodeSyncStep2(state)];
      if (this.tail.length > 0) frames.push(encodeUpdate(merged(this.tail)));
      return frames;
    }
    return [encodeSyncStep2(Y.encodeStateAsUpdate(doc, stateVector))];
  }

  /** Folds the tail into the state (on the worker when big), once the tail is long. */
  maybeRefresh(doc: Y.Doc, workers: StateWorkers, isClosed: () => boolean): void {
    const base = this.state;
    if (
      base === undefined ||
      this.refreshing ||
      (this.tail.length < TAIL_UPDATES && this.tailBytes < Math.max(TAIL_BYTES, base.length / 2))
    )
      return;
    const folded = this.tail.length;
    const foldedBytes = this.tailBytes;
    if (base.length + foldedBytes < BIG_DOC_BYTES || !workers.usable()) {
      // small: encoding the doc costs less than a trip to the worker
      this.state = Y.encodeStateAsUpdate(doc);
      this.tail = [];
      this.tailBytes = 0;
      return;
    }
    this.refreshing = true;
    workers.background
      .snapshot([base, ...this.tail])
      .then((state) => {
        if (isClosed() || this.state !== base) return;
        this.state = state;
        this.tail = this.tail.slice(folded);
        this.tailBytes -= foldedBytes;
      })
      .catch((err: unknown) => {
        // without the worker the cache cannot be kept small: drop it, replies encode the doc
        workers.failed(err);
        if (this.state === base) this.clear();
      })
      .finally(() => {
        this.refreshing = false;
      });
  }

  /** The parts a snapshot can be merged from on the worker, and what to fold back afterwards. */
  capture(): CacheCapture & { readonly parts: Uint8Array[] } {
    const base = this.state;
    return {
      base,
      folded: this.tail.length,
      parts: base === undefined ? [] : [base, ...this.tail],
    };
  }

  /** A compaction wrote `snapshot` = the captured state plus tail: fold that part in. */
  foldSnapshot(capture: CacheCapture, snapshot: Uint8Array): void {
    if (this.state === undefined || this.state !== capture.base) return;
    this.state = snapshot;
    for (const update of this.tail.slice(0, capture.folded)) this.tailBytes -= update.length;
    this.tail = this.tail.slice(capture.folded);
  }

  private clear(): void {
    this.state = undefined;
    this.tail = [];
    this.tailBytes = 0;
  }
}
