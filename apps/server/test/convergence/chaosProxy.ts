import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { type RawData, WebSocketServer } from 'ws';
import type { Rng } from './rng.ts';

/**
 * A websocket proxy of ours between one client and the server, on 127.0.0.1 only. In `chaos`
 * mode every message, in both directions, may be dropped, duplicated, delayed, held back behind
 * the next one (reordered), or may cut the connection; each connection draws its fates from its
 * own seeded stream (`<proxy>/conn <n>/up|down`). In `pass` mode it forwards every message at once
 * and in order; switching to it cuts every open connection, so nothing held back under chaos is
 * delivered afterwards. While the server is down (`upstream()` answers undefined) it refuses the
 * upgrade with 502, as a load balancer with no backend would.
 */

export interface FaultRates {
  /** Probability per message. */
  readonly drop: number;
  readonly duplicate: number;
  readonly delay: number;
  /** Held back until the next message in the same direction went (or a timer ran out). */
  readonly reorder: number;
  /** The connection is cut (both sides terminated) instead of delivering the message. */
  readonly cut: number;
  readonly maxDelayMs: number;
}

export interface ProxyStats {
  connections: number;
  refused: number;
  messages: number;
  dropped: number;
  duplicated: number;
  delayed: number;
  reordered: number;
  cuts: number;
}

export type ProxyMode = 'chaos' | 'pass';

/** Close codes a peer may send on the wire (1005, 1006 and 1015 are reserved for reporting). */
const sendableCode = (code: number) =>
  (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code < 5000);

const UPSTREAM_HANDSHAKE_TIMEOUT_MS = 3000;

/** One direction of one connection: applies the faults, then hands the message on. */
class Pipe {
  private held: { data: Buffer; binary: boolean; timer: NodeJS.Timeout } | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly rng: Rng,
    /** The faults to apply now (undefined: pass through). */
    private readonly faults: () => FaultRates | undefined,
    private readonly stats: ProxyStats,
    private readonly deliver: (data: Buffer, binary: boolean) => void,
    private readonly cut: () => void,
  ) {}

  push(data: Buffer, binary: boolean): void {
    if (this.closed) return;
    const f = this.faults();
    if (f === undefined) {
      this.deliver(data, binary);
      return;
    }
    this.stats.messages += 1;
    if (this.rng.chance(f.cut)) {
      this.stats.cuts += 1;
      this.cut();
      return;
    }
    if (this.rng.chance(f.drop)) {
      this.stats.dropped += 1;
      return;
    }
    const copies = this.rng.chance(f.duplicate) ? 2 : 1;
    if (copies === 2) this.stats.duplicated += 1;
    for (let i = 0; i < copies; i++) {
      if (this.held === undefined && this.rng.chance(f.reorder)) {
        this.stats.reordered += 1;
        const timer = setTimeout(() => this.release(), this.rng.int(1, f.maxDelayMs));
        this.held = { data, binary, timer };
      } else if (this.rng.chance(f.delay)) {
        this.stats.delayed += 1;
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.send(data, binary);
          },
          this.rng.int(1, f.maxDelayMs),
        );
        this.timers.add(timer);
      } else {
        this.send(data, binary);
        this.release(); // what was held back goes after this one
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.held !== undefined) clearTimeout(this.held.timer);
    this.held = undefined;
  }

  private release(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    clearTimeout(held.timer);
    this.send(held.data, held.binary);
  }

  private send(data: Buffer, binary: boolean): void {
    if (!this.closed) this.deliver(data, binary);
  }
}

/** One client connection and its upstream connection to the server. */
class Link {
  private readonly up: Pipe;
  private readonly down: Pipe;
  private readonly upstream: WebSocket;
  /** Client messages that passed the faults before the upstream connection opened. */
  private early: { data: Buffer; binary: boolean }[] = [];
  private done = false;

  constructor(
    private readonly client: WebSocket,
    upstreamUrl: string,
    rng: Rng,
    faults: () => FaultRates | undefined,
    stats: ProxyStats,
    private readonly onEnd: (link: Link) => void,
  ) {
    const upstream = new WebSocket(upstreamUrl, {
      handshakeTimeout: UPSTREAM_HANDSHAKE_TIMEOUT_MS,
    });
    this.upstream = upstream;
    const cut = () => this.cut();
    this.up = new Pipe(
      rng.fork('up'),
      faults,
      stats,
      (data, binary) => {
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary });
        else if (upstream.readyState === WebSocket.CONNECTING) this.early.push({ data, binary });
      },
      cut,
    );
    this.down = new Pipe(
      rng.fork('down'),
      faults,
      stats,
      (data, binary) => {
        if (client.readyState === WebSocket.OPEN) client.send(data, { binary });
      },
      cut,
    );

    client.on('message', (data, binary) => this.up.push(toBuffer(data), binary));
    client.on('close', () => this.end(() => closeQuietly(upstream, 1000)));
    client.on('error', () => this.cut());

    upstream.on('open', () => {
      const early = this.early;
      this.early = [];
      for (const m of early) upstream.send(m.data, { binary: m.binary });
    });
    upstream.on('message', (data, binary) => this.down.push(toBuffer(data), binary));
    upstream.on('close', (code) =>
      this.end(() => (sendableCode(code) ? closeQuietly(client, code) : client.terminate())),
    );
    upstream.on('error', () => this.cut());
    upstream.on('unexpected-response', (_req, res) => {
      res.resume();
      this.cut();
    });
  }

  /** Terminates both sides: whatever is in flight or held back is lost. */
  cut(): void {
    this.end(() => {
      this.client.terminate();
      this.upstream.terminate();
    });
  }

  private end(action: () => void): void {
    if (this.done) return;
    this.done = true;
    this.up.close();
    this.down.close();
    this.early = [];
    action();
    this.onEnd(this);
  }
}

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

function closeQuietly(ws: WebSocket, code: number): void {
  try {
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(code);
  } catch {
    ws.terminate();
  }
}

export function emptyStats(): ProxyStats {
  return {
    connections: 0,
    refused: 0,
    messages: 0,
    dropped: 0,
    duplicated: 0,
    delayed: 0,
    reordered: 0,
    cuts: 0,
  };
}

export class ChaosProxy {
  private mode: ProxyMode = 'pass';
  private closed = false;
  private readonly links = new Set<Link>();

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly rng: Rng,
    private readonly faults: FaultRates,
    /** `ws://127.0.0.1:<port>` of the server, or undefined while it is down. */
    private readonly upstream: () => string | undefined,
    readonly stats: ProxyStats,
  ) {
    wss.on('connection', (client: WebSocket, req: IncomingMessage) => this.accept(client, req));
  }

  static async start(options: {
    rng: Rng;
    faults: FaultRates;
    upstream: () => string | undefined;
  }): Promise<ChaosProxy> {
    const stats = emptyStats();
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      perMessageDeflate: false,
      verifyClient: (_info, callback) => {
        if (options.upstream() !== undefined) {
          callback(true);
          return;
        }
        stats.refused += 1;
        callback(false, 502, 'server down');
      },
    });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    return new ChaosProxy(wss, options.rng, options.faults, options.upstream, stats);
  }

  /** Where clients connect: `ws://127.0.0.1:<port>/collab`. */
  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/collab`;
  }

  /**
   * Switches mode. Going to `pass` cuts every open connection (the clients reconnect on their
   * own), so that nothing delayed or held back under chaos arrives afterwards.
   */
  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode === 'pass') this.cutAll();
  }

  /** Cuts every open connection. */
  cutAll(): void {
    for (const link of [...this.links]) link.cut();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cutAll();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(client: WebSocket, req: IncomingMessage): void {
    const base = this.upstream();
    if (base === undefined || req.url === undefined) {
      this.stats.refused += 1;
      client.terminate();
      return;
    }
    const n = this.stats.connections++;
    const link = new Link(
      client,
      `${base}${req.url}`,
      this.rng.fork(`conn ${n}`),
      () => (this.mode === 'chaos' ? this.faults : undefined),
      this.stats,
      (l) => this.links.delete(l),
    );
    this.links.add(link);
  }
}
