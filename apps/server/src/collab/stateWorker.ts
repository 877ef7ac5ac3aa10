import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { StateReply, StateRequest } from './stateWorkerThread.ts';

/**
 * One worker thread for byte-only Yjs work, so that loading a big document (shape checks, merging
 * stored rows, splitting the result into chunks) does not block the event loop.
 *
 * How the thread loads TypeScript: the thread code is stateWorkerThread.ts, and a worker cannot
 * count on inheriting a loader: tsx registers its hooks only on the main thread (whether started
 * as `node --import tsx` or as the `tsx` CLI), and Vitest runs TypeScript through Vite, with no
 * Node loader at all. So the worker starts from a few evaluated lines (BOOTSTRAP) that register
 * tsx in the thread through its API, `tsx/esm/api` (tsx is a dependency of this package), then
 * import the thread module by URL. That works the same under `node --import tsx`, the `tsx` CLI
 * and Vitest. The API's ESM build is resolved here, on the main thread, because an evaluated
 * script has no module path to resolve a package from; and BOOTSTRAP only uses `import()`,
 * because it runs as CommonJS or as ESM depending on the flags the worker inherits
 * (`--input-type=module` makes it ESM, without `require`).
 */

const BOOTSTRAP = `
import('node:worker_threads')
  .then(({ workerData }) => import(workerData.tsxApi).then((tsx) => {
    tsx.register();
    return import(workerData.entry);
  }));
`;

/**
 * Resolved when a thread starts, not at import: a bundled copy of the server (the convergence
 * suite runs one) has neither tsx nor the thread file beside it, and must still start; its
 * requests then fail and the server does the work on its own thread.
 */
const threadModules = () => ({
  tsxApi: import.meta.resolve('tsx/esm/api'),
  entry: new URL('./stateWorkerThread.ts', import.meta.url).href,
});

export interface Prepared {
  /** All rows merged into one update: what a fresh client needs. */
  state: Uint8Array;
  /** `state` cut for applying one piece per event-loop turn (see splitUpdate). */
  chunks: Uint8Array[];
  /** Structs in `state`. */
  structs: number;
}

/** An input that failed its shape check; `index` is its position in the call's array. */
export class MalformedInputError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'MalformedInputError';
  }
}

/** A request the thread has not answered in this time is failed, and the thread replaced. */
const DEFAULT_TIMEOUT_MS = 120_000;

export interface StateWorkerOptions {
  /** Longest wait for one answer (default 2 min): a stuck thread must not hold a load forever. */
  timeoutMs?: number;
  /** Heap limits for the thread: a document that exhausts them fails its request, not the server. */
  resourceLimits?: ResourceLimits;
}

type Success = Extract<StateReply, { ok: true }>;
/** A request before it gets its id (Omit applied to each member of the union). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Outgoing = WithoutId<StateRequest>;

interface Pending {
  resolve: (reply: Success) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  /** Requests sent to this thread and not answered yet, by id. */
  pending: Map<number, Pending>;
}

/**
 * Copies into a buffer of its own, which can then be transferred: the caller keeps its arrays,
 * and a Buffer that is a view into Node's shared pool never takes the pool along.
 */
const ownCopy = (view: Uint8Array): Uint8Array => new Uint8Array(view);

export class StateWorker {
  private thread: Thread | undefined;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: StateWorkerOptions = {}) {}

  /**
   * Checks the shape of every stored row (rejecting with a MalformedInputError that names the
   * row), merges them and splits the result into chunks of at most `maxStructsPerChunk` structs.
   */
  async prepare(rows: Uint8Array[], maxStructsPerChunk: number): Promise<Prepared> {
    const copies = rows.map(ownCopy);
    const reply = await this.request(
      { kind: 'prepare', rows: copies, maxStructsPerChunk },
      copies.map((copy) => copy.buffer as ArrayBuffer),
    );
    if (reply.kind !== 'prepare') throw new Error(`state worker answered ${reply.kind}`);
    return { state: reply.state, chunks: reply.chunks, structs: reply.structs };
  }

  /** `Y.mergeUpdates(updates)`, after checking each update's shape. */
  async merge(updates: Uint8Array[]): Promise<Uint8Array> {
    const copies = updates.map(ownCopy);
    const reply = await this.request(
      { kind: 'merge', updates: copies },
      copies.map((copy) => copy.buffer as ArrayBuffer),
    );
    if (reply.kind !== 'merge') throw new Error(`state worker answered ${reply.kind}`);
    return reply.update;
  }

  /**
   * The document the updates make, encoded as one update the way a snapshot should be stored:
   * like `Y.encodeStateAsUpdate` of a doc holding them, so deleted content is garbage-collected.
   */
  async snapshot(updates: Uint8Array[]): Promise<Uint8Array> {
    const copies = updates.map(ownCopy);
    const reply = await this.request(
      { kind: 'snapshot', updates: copies },
      copies.map((copy) => copy.buffer as ArrayBuffer),
    );
    if (reply.kind !== 'merge') throw new Error(`state worker answered ${reply.kind}`);
    return reply.update;
  }

  /** Stops the thread; requests still in flight reject, and so does every later call. */
  async close(): Promise<void> {
    this.closed = true;
    const thread = this.thread;
    if (thread === undefined) return;
    this.thread = undefined;
    this.fail(thread, new Error('state worker closed'));
    await thread.worker.terminate();
  }

  /** The running thread's id, undefined while none runs (it starts on first use). */
  get threadId(): number | undefined {
    return this.thread?.worker.threadId;
  }

  /** Test hook: kills the thread as a crash would; the next call starts a fresh one. */
  async terminateThreadForTests(): Promise<void> {
    await this.thread?.worker.terminate();
  }

  private request(message: Outgoing, transfer: ArrayBuffer[]): Promise<Success> {
    if (this.closed) return Promise.reject(new Error('state worker closed'));
    const thread = this.thread ?? this.start();
    const id = this.nextId++;
    return new Promise<Success>((resolve, reject) => {
      const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const timer = setTimeout(() => {
        this.fail(thread, new Error(`state worker did not answer within ${timeoutMs} ms`));
        void thread.worker.terminate();
      }, timeoutMs);
      timer.unref();
      thread.pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      // An idle thread must not keep the process alive; a busy one must, or the caller's
      // await could outlive the event loop.
      if (thread.pending.size === 1) thread.worker.ref();
      try {
        thread.worker.postMessage({ ...message, id } satisfies StateRequest, transfer);
      } catch (err) {
        clearTimeout(timer);
        this.settled(thread, id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private start(): Thread {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: threadModules(),
      resourceLimits: this.options.resourceLimits,
    });
    const thread: Thread = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (reply: StateReply) => {
      const pending = thread.pending.get(reply.id);
      if (pending === undefined) return;
      this.settled(thread, reply.id);
      if (reply.ok) pending.resolve(reply);
      else if (reply.index !== undefined) {
        pending.reject(new MalformedInputError(reply.message, reply.index));
      } else pending.reject(new Error(reply.message));
    });
    worker.on('error', (err) => {
      this.fail(thread, new Error(`state worker thread failed: ${err.message}`, { cause: err }));
    });
    worker.on('messageerror', (err) => {
      this.fail(thread, new Error(`state worker reply unreadable: ${err.message}`, { cause: err }));
      void worker.terminate();
    });
    worker.on('exit', (code) => {
      this.fail(thread, new Error(`state worker thread exited with code ${code}`));
    });
    this.thread = thread;
    return thread;
  }

  private settled(thread: Thread, id: number): void {
    thread.pending.delete(id);
    if (thread.pending.size === 0) thread.worker.unref();
  }

  /** Rejects what the thread still owed; the next call starts a fresh thread. */
  private fail(thread: Thread, err: Error): void {
    if (this.thread === thread) this.thread = undefined;
    const pending = [...thread.pending.values()];
    thread.pending.clear();
    for (const { reject } of pending) reject(err);
  }
}
