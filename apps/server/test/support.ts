import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as decoding from 'lib0/decoding';
import {
  MessageType,
  type ServerMessage,
  decodeServerMessage as decodeWireMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from '@syspat/protocol';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  type App,
  type BuildAppOptions,
  SqliteStorage,
  type UpdateBatch,
  buildApp,
  loadConfig,
} from '../src/index.ts';

/** Shared test helpers: real servers on port 0, stock y-websocket clients, raw protocol clients. */

/** An update appending `text` to the doc's text 't'. */
export function appendText(doc: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array = new Uint8Array();
  const capture = (u: Uint8Array) => (update = u);
  doc.on('update', capture);
  doc.getText('t').insert(doc.getText('t').length, text);
  doc.off('update', capture);
  return update;
}

/** The real SQLite adapter whose commits fail (disk full) while `failAppends` is set. */
export class FailingStorage extends SqliteStorage {
  failAppends = false;
  appendCalls = 0;
  override async appendUpdates(
    batches: readonly UpdateBatch[],
    now: number,
  ): Promise<Map<string, number>> {
    this.appendCalls += 1;
    await sleep(0);
    if (this.failAppends)
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    return super.appendUpdates(batches, now);
  }
}

export const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'syspat-test-'));
}

/** Env for a test server: quiet, generous limits unless a test is about a limit. */
export function buildTestEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: tempDir(),
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    WEB_DIST_DIR: path.join(os.tmpdir(), 'syspat-no-web'),
    WS_CONNECTS_PER_MINUTE: '100000',
    WS_MESSAGES_PER_SECOND: '100000',
    WS_MESSAGE_BURST: '100000',
    WS_BYTES_PER_SECOND: String(1024 * 1024 * 1024),
    MAX_CONNECTIONS_PER_IP: '100000',
    REST_REQUESTS_PER_MINUTE: '1000000',
    UNLOAD_DELAY_MS: '0',
    ...overrides,
  };
}

export interface TestServer {
  readonly app: App;
  readonly port: number;
  readonly url: string;
  readonly wsUrl: string;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** Builds the app and listens on 127.0.0.1, port 0. */
export async function startServer(
  overrides: Record<string, string> = {},
  options: BuildAppOptions = {},
): Promise<TestServer> {
  const env = buildTestEnv(overrides);
  const app = await buildApp(loadConfig(env), options);
  await app.listen({ port: Number(env.PORT), host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const port = address.port;
  return {
    app,
    port,
    env,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    close: () => app.close(),
  };
}

/** Creates a document through the API and returns its id. */
export async function createDoc(app: App, title = 'Test document'): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/docs', payload: { title } });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

/** Creates a document through HTTP (for child-process servers). */
export async function createDocHttp(url: string, title = 'Test document'): Promise<string> {
  const res = await fetch(`${url}/api/docs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export async function waitFor(
  check: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stock y-websocket client, the one the web app uses. */
export function connectProvider(wsUrl: string, docId: string, doc = new Y.Doc()) {
  const provider = new WebsocketProvider(wsUrl, docId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', (isSynced: boolean) => isSynced && resolve());
  });
  return { provider, doc, synced };
}

// ---- raw protocol client -----------------------------------------------------------------------

export interface ReceivedMessage {
  /** What the message is, as @syspat/protocol decodes it. */
  readonly kind: ServerMessage['kind'];
  readonly type: number;
  /** Sync sub-type, for sync messages. */
  readonly syncType?: number;
  /** The update, state vector or awareness update the message carries; empty for others. */
  readonly payload: Uint8Array;
  readonly raw: Uint8Array;
}

/** Decodes a server message; throws on a malformed one (RawClient files it as undecodable). */
export function decodeServerMessage(raw: Uint8Array): ReceivedMessage {
  const message = decodeWireMessage(raw);
  if (message.kind === 'malformed') throw new Error(message.reason);
  const decoder = decoding.createDecoder(raw);
  const type = decoding.readVarUint(decoder);
  const payload =
    'update' in message
      ? message.update
      : 'stateVector' in message
        ? message.stateVector
        : new Uint8Array();
  if (type !== MessageType.Sync) return { kind: message.kind, type, payload, raw };
  return { kind: message.kind, type, syncType: decoding.readVarUint(decoder), payload, raw };
}

/** A SyncStep2 or an update: a message that carries document content. */
export const carriesUpdate = (m: ReceivedMessage): boolean =>
  m.kind === 'syncStep2' || m.kind === 'update';

export const frames = {
  syncStep1: encodeSyncStep1,
  syncStep2: encodeSyncStep2,
  update: encodeUpdate,
  awareness: encodeAwareness,
};

/** A websocket speaking the protocol by hand: records every message and the close. */
export class RawClient {
  readonly messages: ReceivedMessage[] = [];
  readonly undecodable: Uint8Array[] = [];
  closeCode: number | undefined;
  closeReason = '';
  unexpectedStatus: number | undefined;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('error', () => {
      // recorded through 'close' / 'unexpected-response'
    });
    ws.on('unexpected-response', (_req, res) => {
      this.unexpectedStatus = res.statusCode;
      res.resume();
      ws.terminate(); // aborts the handshake: ws then emits 'error' and 'close'
    });
    ws.on('message', (data: Buffer) => {
      const raw = new Uint8Array(data);
      try {
        this.messages.push(decodeServerMessage(raw));
      } catch {
        this.undecodable.push(raw);
      }
    });
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('close', () =>
        reject(new Error(`closed before open (status ${this.unexpectedStatus})`)),
      );
    });
    this.opened.catch(() => undefined);
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve(code);
      });
    });
  }

  static connect(wsUrl: string, docId: string, options: WebSocket.ClientOptions = {}): RawClient {
    return new RawClient(new WebSocket(`${wsUrl}/${docId}`, options));
  }

  send(data: Uint8Array | string): void {
    this.ws.send(data);
  }

  /** The doc updates received (sync step 2 and updates), in order. */
  docUpdates(): Uint8Array[] {
    return this.messages.filter(carriesUpdate).map((m) => m.payload);
  }

  /** Applies everything received to a fresh doc. */
  toDoc(): Y.Doc {
    const doc = new Y.Doc();
    for (const update of this.docUpdates()) Y.applyUpdate(doc, update);
    return doc;
  }

  async waitForMessage(
    predicate: (m: ReceivedMessage) => boolean,
    timeoutMs = 5000,
  ): Promise<ReceivedMessage> {
    let found: ReceivedMessage | undefined;
    await waitFor(
      () => (found = this.messages.find(predicate)) !== undefined,
      timeoutMs,
      'a message',
    );
    return found!;
  }

  /** Does the y-websocket handshake as an empty client and waits for the server's SyncStep2. */
  async handshake(): Promise<ReceivedMessage> {
    await this.opened;
    this.send(frames.syncStep1(Y.encodeStateVector(new Y.Doc())));
    return this.waitForMessage((m) => m.kind === 'syncStep2');
  }

  close(): void {
    this.ws.close();
  }
}

/** Two stock clients on a document of their own: proves the server still serves other rooms. */
export async function assertOtherRoomsWork(server: TestServer): Promise<void> {
  const docId = await createDocHttp(server.url, 'sentinel');
  const a = connectProvider(server.wsUrl, docId);
  const b = connectProvider(server.wsUrl, docId);
  try {
    await Promise.all([a.synced, b.synced]);
    const marker = `alive-${Math.random()}`;
    a.doc.getText('sentinel').insert(0, marker);
    await waitFor(() => b.doc.getText('sentinel').toJSON() === marker, 5000, 'sentinel edit');
  } finally {
    a.provider.destroy();
    b.provider.destroy();
  }
}

/** Measures the worst event-loop delay while `fn` runs (the server runs in this process). */
export async function maxLoopDelayDuring(fn: () => Promise<void>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    await fn();
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}

// ---- child-process server ----------------------------------------------------------------------

export interface ChildServer {
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  readonly wsUrl: string;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `src/main.ts` in a child process (tsx) and waits until it listens. */
export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env, LOG_LEVEL: 'info', PORT: env.PORT ?? '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let port = 0;
  await waitFor(
    () => {
      const match = /"port":(\d+)[^\n]*syspat listening/.exec(out);
      if (match) port = Number(match[1]);
      if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
      return port !== 0;
    },
    30_000,
    'child server to listen',
  );
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    output: () => out,
    exited,
  };
}

// ---- raw TCP -----------------------------------------------------------------------------------

/** Sends `request` bytes on a fresh TCP socket; resolves with what came back when it closes. */
export function rawTcp(
  port: number,
  request: string | Buffer,
  options: {
    timeoutMs?: number;
    after?: (socket: net.Socket, received: () => Buffer) => void;
  } = {},
): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const received = () => Buffer.concat(chunks);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(received());
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 3000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => {
      socket.write(request);
      options.after?.(socket, received);
    });
  });
}

export const upgradeRequest = (pathname: string, extraHeaders = ''): string =>
  `GET ${pathname} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extraHeaders}\r\n`;

/** A masked client frame (mask of zeros, so the payload is sent as is). */
export function clientFrame(firstByte: number, payload: Buffer): Buffer {
  if (payload.length > 125) throw new Error('short frames only');
  return Buffer.concat([Buffer.from([firstByte, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

/** The close code in the first close frame the server sent after its 101 response, if any. */
export function serverCloseCode(response: Buffer): number | undefined {
  const headerEnd = response.indexOf('\r\n\r\n');
  if (headerEnd < 0) return undefined;
  let i = headerEnd + 4;
  while (i + 2 <= response.length) {
    const opcode = response[i]! & 0x0f;
    let len = response[i + 1]! & 0x7f;
    let offset = i + 2;
    if (len === 126) {
      len = response.readUInt16BE(offset);
      offset += 2;
    } else if (len === 127) {
      return undefined;
    }
    if (opcode === 0x8) return len >= 2 ? response.readUInt16BE(offset) : 1005;
    i = offset + len;
  }
  return undefined;
}
