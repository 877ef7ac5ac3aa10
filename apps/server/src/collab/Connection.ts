import type { Logger } from 'pino';
import {
  CloseCode,
  closeReason,
  type CloseCodeValue,
  type ClientOrigin,
  clientOrigin,
} from '@syspat/protocol';

/** What the sync core needs from a socket: `ws`'s WebSocket fits, and so does a test double. */
export interface CollabSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
  on(
    event: 'message',
    listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void,
  ): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'pong', listener: () => void): this;
}

const OPEN = 1;

/** A client socket bigger than this in unsent bytes is too slow to keep. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface ConnectionLimits {
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  readonly bytesPerSecond: number;
  readonly maxMessageBytes: number;
}

/**
 * One client socket bound to one document for its whole life (the doc never changes: R18).
 *
 * Kept lean on purpose: a server holds thousands of these, so fields that most connections never
 * use (the pre-load queue, awareness ids, the logger) are created on first use, the rate limits
 * are plain numbers rather than bucket objects, and the strings are shared with the room.
 */
export class Connection {
  /** Awareness client ids this socket announced; removed when it leaves. */
  awarenessClients: Set<number> | undefined;
  /** Messages received while the document loads, processed in order once it is ready. */
  queue: Uint8Array[] | undefined;
  queueBytes = 0;
  /** False once we closed it for a violation: later input is ignored. */
  acceptsInput = true;
  /** Set by the 'close' event. */
  closed = false;
  alive = true;
  /** Sent `subscribeCommits`: receives the committed state vector after every commit. */
  commitSubscriber = false;
  /** True once the document is loaded and this connection joined its room. */
  admitted = false;
  /**
   * Set by an `onAuthenticate` hook (or later, by an extension that revokes write access): the
   * receiver then drops this connection's document updates on every message. It still syncs,
   * sees presence and announces its own.
   */
  readOnly = false;
  private originTag: ClientOrigin<Connection> | undefined;
  private messageTokens: number;
  private byteTokens: number;
  private refilledAt = performance.now();
  private logger: Logger | undefined;

  constructor(
    readonly socket: CollabSocket,
    /** Replaced by the room's own copy once admitted, so the request URL can be freed. */
    public docId: string,
    readonly ip: string,
    readonly id: number,
    private readonly parentLog: Logger,
    /** Shared by every connection of a server. */
    private readonly limits: ConnectionLimits,
  ) {
    this.messageTokens = limits.messageBurst;
    this.byteTokens = byteCapacity(limits);
  }

  /** A child logger with this connection's ids, made on first use (most connections never log). */
  get log(): Logger {
    this.logger ??= this.parentLog.child({ docId: this.docId, ip: this.ip, conn: this.id });
    return this.logger;
  }

  /** The transaction origin of this connection's updates, made on first use. */
  get origin(): ClientOrigin<Connection> {
    this.originTag ??= clientOrigin<Connection>(this);
    return this.originTag;
  }

  /** Closes for a violation, logged with the reason; later input is ignored. */
  reject(code: CloseCodeValue, reason: string): void {
    if (!this.acceptsInput) return;
    this.log.warn({ code, reason }, 'closing websocket');
    this.close(code);
  }

  /** Charges one message of `size` bytes to the rate limits (token buckets); false when over. */
  admit(size: number): boolean {
    const now = performance.now();
    const seconds = (now - this.refilledAt) / 1000;
    this.refilledAt = now;
    const limits = this.limits;
    this.messageTokens = Math.min(
      limits.messageBurst,
      this.messageTokens + seconds * limits.messagesPerSecond,
    );
    this.byteTokens = Math.min(
      byteCapacity(limits),
      this.byteTokens + seconds * limits.bytesPerSecond,
    );
    if (this.messageTokens < 1 || this.byteTokens < size) return false;
    this.messageTokens -= 1;
    this.byteTokens -= size;
    return true;
  }

  send(frame: Uint8Array): void {
    const socket = this.socket;
    if (this.closed || socket.readyState !== OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CloseCode.TryAgainLater, 'client too slow');
      return;
    }
    socket.send(frame);
  }

  /** Closes with one of our codes; `keepInput` keeps applying what the client still sends. */
  close(code: CloseCodeValue, reason = closeReason[code], keepInput = false): void {
    if (!keepInput) this.acceptsInput = false;
    if (this.closed) return;
    try {
      this.socket.close(code, reason);
    } catch (err) {
      this.log.warn({ err }, 'closing websocket failed; terminating');
      this.socket.terminate();
    }
  }
}

/** A full message must always fit in the byte bucket, or a legitimate big paste could never pass. */
const byteCapacity = (limits: ConnectionLimits): number =>
  Math.max(limits.bytesPerSecond, limits.maxMessageBytes);
