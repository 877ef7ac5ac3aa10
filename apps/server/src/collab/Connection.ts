import type { Logger } from 'pino';
import { TokenBucket } from '../rateLimit.ts';
import { CloseCode, closeReason, type CloseCodeValue } from './closeCodes.ts';
import type { Room } from './Room.ts';

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

/** One client socket bound to one document for its whole life (the doc never changes: R18). */
export class Connection {
  /** Awareness client ids this socket announced; removed when it leaves. */
  readonly awarenessClients = new Set<number>();
  /** Messages received while the document loads, processed in order once it is ready. */
  queue: Uint8Array[] = [];
  queueBytes = 0;
  /** False once we closed it for a violation: later input is ignored. */
  acceptsInput = true;
  /** Set by the 'close' event. */
  closed = false;
  alive = true;
  /** Sent `subscribeCommits`: receives the committed state vector after every commit. */
  commitSubscriber = false;
  /** The room, once the document is loaded and this connection admitted. */
  room: Room | undefined;
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;

  private logger: Logger | undefined;

  constructor(
    readonly socket: CollabSocket,
    readonly docId: string,
    readonly ip: string,
    readonly id: number,
    private readonly parentLog: Logger,
    limits: ConnectionLimits,
  ) {
    this.messages = new TokenBucket(limits.messageBurst, limits.messagesPerSecond);
    // a full message must always fit, or a legitimate big paste could never pass
    this.bytes = new TokenBucket(
      Math.max(limits.bytesPerSecond, limits.maxMessageBytes),
      limits.bytesPerSecond,
    );
  }

  /** A child logger with this connection's ids, made on first use (most connections never log). */
  get log(): Logger {
    this.logger ??= this.parentLog.child({ docId: this.docId, ip: this.ip, conn: this.id });
    return this.logger;
  }

  /** Charges one message of `size` bytes to the rate limits; false when over. */
  admit(size: number): boolean {
    return this.messages.take(1) && this.bytes.take(size);
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
