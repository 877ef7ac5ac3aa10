import {
  MessageType,
  SyncMessageType,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from '@syspat/protocol';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';

/**
 * The load generator of bench/server.bench.ts: raw `ws` sockets speaking the y-websocket
 * protocol by hand, so the same bytes go to syspat and to the reference server and the
 * generator stays cheap (receivers never build a Y.Doc; they scan frames for edit markers).
 */

const MARKER_START = Buffer.from('~e');
const MARKER_END = 0x7e; // '~'

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

/** Message type and sync sub-type of a server frame. */
export function frameKind(data: Buffer): { type: number; sub: number } {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  return { type, sub: type === MessageType.Sync ? decoding.readVarUint(decoder) : -1 };
}

/** The payload of a sync frame. */
export function syncPayload(data: Buffer): Uint8Array {
  const decoder = decoding.createDecoder(data);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

export interface EditLog {
  /** Edit id → send time (performance.now()) and the sending client. */
  readonly sent: Map<number, { at: number; by: number }>;
  readonly latencies: number[];
  /** Deliveries counted (one per edit per receiver other than its writer). */
  delivered: number;
}

export const newEditLog = (): EditLog => ({ sent: new Map(), latencies: [], delivered: 0 });

/** One simulated client. */
export class BenchClient {
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  /** Resolves with the first SyncStep2 (the server's reply to our SyncStep1) and when it came. */
  readonly firstSyncReply: Promise<{ at: number; payload: Uint8Array; docBytesBefore: number }>;
  closed = false;
  private docBytesReceived = 0;
  private readonly doc = new Y.Doc();
  private readonly text = this.doc.getText('t');
  private pendingUpdate: Uint8Array | undefined;

  constructor(
    url: string,
    readonly index: number,
    private readonly log: EditLog | undefined,
  ) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.binaryType = 'nodebuffer';
    this.ws.on('error', () => undefined);
    this.ws.on('close', () => (this.closed = true));
    this.doc.on('update', (u: Uint8Array) => (this.pendingUpdate = u));
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => {
        this.ws.send(encodeSyncStep1(EMPTY_STATE_VECTOR));
        resolve();
      });
      this.ws.once('close', () => reject(new Error(`client ${index} closed before opening`)));
    });
    this.opened.catch(() => undefined);
    this.firstSyncReply = new Promise((resolve) => {
      const onMessage = (data: Buffer) => {
        const { type, sub } = frameKind(data);
        if (type === MessageType.Sync && sub === SyncMessageType.Step1) {
          // the server's SyncStep1: answer with our (empty) state
          this.ws.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, syncPayload(data))));
          return;
        }
        if (type === MessageType.Sync && sub === SyncMessageType.Step2) {
          this.ws.off('message', onMessage);
          resolve({
            at: performance.now(),
            payload: syncPayload(data),
            docBytesBefore: this.docBytesReceived,
          });
          this.ws.on('message', (d: Buffer) => this.onMessage(d));
          return;
        }
        if (type === MessageType.Sync) this.docBytesReceived += data.length;
      };
      this.ws.on('message', onMessage);
    });
  }

  /** Sends one edit carrying marker `id`. */
  sendEdit(id: number): void {
    this.text.insert(this.text.length, `~e${id.toString(36)}~`);
    const update = this.pendingUpdate!;
    this.pendingUpdate = undefined;
    this.log?.sent.set(id, { at: performance.now(), by: this.index });
    this.ws.send(encodeUpdate(update));
  }

  /** Sends a prepared update (e.g. a large document). */
  sendUpdate(update: Uint8Array): void {
    this.ws.send(encodeUpdate(update));
  }

  close(): void {
    this.ws.terminate();
  }

  private onMessage(data: Buffer): void {
    const log = this.log;
    if (log === undefined || data[0] !== 0) return;
    const now = performance.now();
    let at = data.indexOf(MARKER_START);
    while (at !== -1) {
      const end = data.indexOf(MARKER_END, at + 2);
      if (end === -1) break;
      const id = parseInt(data.toString('latin1', at + 2, end), 36);
      const sent = log.sent.get(id);
      if (sent !== undefined && sent.by !== this.index) {
        log.latencies.push(now - sent.at);
        log.delivered += 1;
      }
      at = data.indexOf(MARKER_START, end + 1);
    }
  }
}

/** `promise`, or a rejection naming `what` once `ms` have passed (so that no wait is unbounded). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Connects `n` clients to `url` and waits until each has its first sync reply (30 s a batch). */
export async function connectClients(
  url: string,
  n: number,
  log: EditLog | undefined,
): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  for (let i = 0; i < n; i += 25) {
    const batch = Array.from(
      { length: Math.min(25, n - i) },
      (_, k) => new BenchClient(url, i + k, log),
    );
    await within(
      Promise.all(batch.map((c) => c.firstSyncReply)),
      30_000,
      `connecting clients ${i}-${i + batch.length - 1} to ${url}`,
    );
    clients.push(...batch);
  }
  return clients;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

/**
 * Drives `rate` edits per second from the first `writers` clients for `seconds`, then waits
 * for the deliveries to drain. Returns latency percentiles (ms) and the achieved send rate.
 */
export async function driveEdits(
  clients: readonly BenchClient[],
  log: EditLog,
  options: { rate: number; seconds: number; writers: number; nextId: () => number },
): Promise<{
  p50: number;
  p99: number;
  max: number;
  sentPerSecond: number;
  expected: number;
  delivered: number;
}> {
  log.latencies.length = 0;
  log.delivered = 0;
  const writers = clients.slice(0, options.writers);
  const receiversPerEdit = clients.length - 1;
  const tickMs = 5;
  const started = performance.now();
  let sent = 0;
  let writer = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= options.seconds) {
        clearInterval(timer);
        resolve();
        return;
      }
      const due = Math.floor(elapsed * options.rate) - sent;
      for (let i = 0; i < due; i++) {
        writers[writer]!.sendEdit(options.nextId());
        writer = (writer + 1) % writers.length;
        sent += 1;
      }
    }, tickMs);
  });
  const sendSeconds = (performance.now() - started) / 1000;
  const expected = sent * receiversPerEdit;
  // drain: wait until every delivery arrived, at most 5 s
  const drainUntil = performance.now() + 5000;
  while (log.delivered < expected && performance.now() < drainUntil)
    await new Promise((r) => setTimeout(r, 10));
  const sorted = [...log.latencies].sort((a, b) => a - b);
  // undelivered edits count as infinitely late
  const missing = expected - log.delivered;
  const withMissing =
    missing > 0 ? [...sorted, ...new Array<number>(missing).fill(Infinity)] : sorted;
  return {
    p50: percentile(withMissing, 0.5),
    p99: percentile(withMissing, 0.99),
    max: withMissing.at(-1) ?? NaN,
    sentPerSecond: sent / sendSeconds,
    expected,
    delivered: log.delivered,
  };
}
