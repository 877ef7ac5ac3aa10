import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { checkUpdate, splitAndCount } from '@syspat/protocol';

/**
 * The code that runs in StateWorker's thread: byte-only Yjs work (shape checks, merges, splits)
 * that would otherwise block the server's event loop. Never imported by the main thread at
 * runtime (stateWorker.ts only imports its types). Requests are handled one at a time, so
 * replies go out in request order.
 */

export type StateRequest =
  | { id: number; kind: 'prepare'; rows: Uint8Array[]; maxStructsPerChunk: number }
  | { id: number; kind: 'merge'; updates: Uint8Array[] }
  | { id: number; kind: 'snapshot'; updates: Uint8Array[] };

export type StateReply =
  | {
      id: number;
      ok: true;
      kind: 'prepare';
      state: Uint8Array;
      chunks: Uint8Array[];
      structs: number;
    }
  | { id: number; ok: true; kind: 'merge'; update: Uint8Array }
  /** `index` names the input that failed its shape check, when one did. */
  | { id: number; ok: false; message: string; index?: number };

class InputError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

function checkAll(inputs: Uint8Array[], noun: string): void {
  inputs.forEach((input, index) => {
    const problem = checkUpdate(input);
    if (problem !== undefined)
      throw new InputError(`${noun} ${index} is malformed: ${problem}`, index);
  });
}

/**
 * The buffers a reply can hand over instead of copying. A view that shares its buffer with other
 * data is copied first: transferring that buffer would send (and detach) more than the view.
 */
function transferable(views: Uint8Array[]): { views: Uint8Array[]; buffers: ArrayBuffer[] } {
  const buffers = new Set<ArrayBuffer>();
  const owned = views.map((view) => {
    const whole =
      view.buffer instanceof ArrayBuffer &&
      view.byteOffset === 0 &&
      view.byteLength === view.buffer.byteLength;
    const own = whole ? view : new Uint8Array(view);
    buffers.add(own.buffer as ArrayBuffer);
    return own;
  });
  return { views: owned, buffers: [...buffers] };
}

function rebuild(update: Uint8Array): Uint8Array {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, update);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

function handle(request: StateRequest): { reply: StateReply; transfer: ArrayBuffer[] } {
  const { id } = request;
  try {
    if (request.kind === 'prepare') {
      const { rows } = request;
      checkAll(rows, 'row');
      const state = rows.length === 1 && rows[0] !== undefined ? rows[0] : Y.mergeUpdates(rows);
      const { chunks, structs } = splitAndCount(state, request.maxStructsPerChunk);
      const { views, buffers } = transferable([state, ...chunks]);
      const [ownState = state, ...ownChunks] = views;
      const reply: StateReply = {
        id,
        ok: true,
        kind: 'prepare',
        state: ownState,
        chunks: ownChunks,
        structs,
      };
      return { reply, transfer: buffers };
    }
    checkAll(request.updates, 'update');
    const merged = Y.mergeUpdates(request.updates);
    // A snapshot goes through a document: Yjs then replaces deleted content with GC marks,
    // which a plain merge keeps (it would grow with every deletion ever made).
    const result = request.kind === 'snapshot' ? rebuild(merged) : merged;
    const { views, buffers } = transferable([result]);
    const [update = new Uint8Array()] = views;
    return { reply: { id, ok: true, kind: 'merge', update }, transfer: buffers };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const reply: StateReply =
      err instanceof InputError
        ? { id, ok: false, message, index: err.index }
        : { id, ok: false, message };
    return { reply, transfer: [] };
  }
}

const port = parentPort;
if (port === null) throw new Error('stateWorkerThread.ts runs only inside a worker thread');
port.on('message', (request: StateRequest) => {
  const { reply, transfer } = handle(request);
  port.postMessage(reply, transfer);
});
