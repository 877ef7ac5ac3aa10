import type { Logger } from 'pino';
import { StateWorker } from './stateWorker.ts';

/** Stored documents from this size on load on the state worker, in slices (~2 µs per struct). */
export const BIG_DOC_BYTES = 128 * 1024;
/** After a state worker failed, big documents are handled on the event loop this long. */
const WORKER_RETRY_MS = 60_000;

export const EMPTY_UPDATE = new Uint8Array([0, 0]);

/**
 * The two state worker threads and their health. `loader` serves loads only, so that a
 * document's first readers never wait behind background work; `background` serves snapshots and
 * cache refreshes.
 */
export class StateWorkers {
  readonly loader = new StateWorker();
  readonly background = new StateWorker();
  private failedAt = -Infinity;

  constructor(private readonly log: Logger) {}

  /**
   * Starts both threads now rather than on the first big document (start-up, about 0.3 s, would
   * otherwise delay that document's first client).
   */
  warmUp(): void {
    for (const worker of [this.loader, this.background]) {
      worker.merge([EMPTY_UPDATE]).catch((err: unknown) => {
        this.log.warn({ err }, 'a state worker did not start; it is retried on first use');
      });
    }
  }

  /** False for a while after a worker failed: big documents are then handled on the loop. */
  usable(): boolean {
    return performance.now() - this.failedAt > WORKER_RETRY_MS;
  }

  failed(err: unknown): void {
    if (this.usable()) {
      this.log.error(
        { err },
        'the state worker failed; big documents load on the event loop for a while',
      );
    }
    this.failedAt = performance.now();
  }

  close(): Promise<void> {
    return Promise.all([this.loader.close(), this.background.close()]).then(() => undefined);
  }
}
