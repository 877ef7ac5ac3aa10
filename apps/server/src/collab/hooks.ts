import type { Logger } from 'pino';
import type * as Y from 'yjs';
import { type CloseCodeValue, type Origin } from '@syspat/protocol';
import type { Connection } from './Connection.ts';
import type { Room } from './Room.ts';

/**
 * The hooks that join the sync core's parts, and through which extensions (authorization,
 * fan-out to other instances) plug in without editing the core. Handlers run in registration
 * order: the core's own parts first, then `CollabOptions.extensions` in the order given.
 *
 * `room` in a payload is the core's state for the document: read it, change it only through
 * `document` (with a tagged origin, see origin.ts).
 */

/** A socket arrived for `connection.docId`; nothing is loaded yet. */
export interface ConnectPayload {
  readonly connection: Connection;
}

/** May this connection use `docId`? Throw `ConnectionRejected` to refuse it. */
export interface AuthenticatePayload {
  readonly connection: Connection;
  readonly docId: string;
}

export interface AuthenticateResult {
  /** The connection may read and sync but its document updates are dropped (per message). */
  readonly readOnly?: boolean;
}

/** A document was loaded into memory; its clients join after every handler finished. */
export interface LoadDocumentPayload {
  readonly docId: string;
  readonly document: Y.Doc;
  readonly room: Room;
}

/** One update was applied to a loaded document (synchronous, on the hot path: keep it cheap). */
export interface ChangePayload {
  readonly docId: string;
  readonly document: Y.Doc;
  readonly room: Room;
  readonly update: Uint8Array;
  readonly origin: Origin;
}

/** A group commit made a document's updates durable; clients have been sent them. */
export interface AfterCommitPayload {
  readonly docId: string;
  readonly document: Y.Doc;
  readonly room: Room;
  /** The committed updates, in order, and merged into one. */
  readonly updates: readonly Uint8Array[];
  readonly update: Uint8Array;
  /** The log position of the last one. */
  readonly lastSeq: number;
}

/** An idle document is about to leave memory. Throw to keep it (it is tried again later). */
export interface BeforeUnloadPayload {
  readonly docId: string;
  readonly document: Y.Doc;
  readonly room: Room;
}

/** A connection closed (`code` as the socket reported it). */
export interface DisconnectPayload {
  readonly connection: Connection;
  readonly code: number;
}

type Awaitable<T> = T | Promise<T>;

export interface Extension {
  /** Names the extension in logs. */
  readonly name: string;
  onConnect?(payload: ConnectPayload): Awaitable<void>;
  onAuthenticate?(payload: AuthenticatePayload): Awaitable<AuthenticateResult | void>;
  onLoadDocument?(payload: LoadDocumentPayload): Awaitable<void>;
  onChange?(payload: ChangePayload): void;
  afterCommit?(payload: AfterCommitPayload): Awaitable<void>;
  beforeUnload?(payload: BeforeUnloadPayload): Awaitable<void>;
  onDisconnect?(payload: DisconnectPayload): void;
}

/** Thrown by `onConnect` / `onAuthenticate`: the connection is closed with `code`. */
export class ConnectionRejected extends Error {
  constructor(
    readonly code: CloseCodeValue,
    reason: string,
  ) {
    super(reason);
    this.name = 'ConnectionRejected';
  }
}

type HookName = Exclude<keyof Extension, 'name'>;
type Handler<K extends HookName> = NonNullable<Extension[K]>;
type PayloadOf<K extends HookName> = Parameters<Handler<K>>[0];

/**
 * Runs the hooks. Gates (`onConnect`, `onAuthenticate`, `onLoadDocument`, `beforeUnload`) run one
 * after another and stop at the first that throws, which the caller handles. Notifications
 * (`onChange`, `afterCommit`, `onDisconnect`) call every handler; a throw or rejection is logged
 * and does not stop the others or the core.
 */
export class Hooks {
  private readonly extensions: Extension[] = [];

  constructor(private readonly log: Logger) {}

  register(...extensions: readonly Extension[]): void {
    this.extensions.push(...extensions);
  }

  has(name: HookName): boolean {
    return this.extensions.some((extension) => extension[name] !== undefined);
  }

  /**
   * Runs a gate. Returns undefined at once when no extension has the hook, so the common path
   * adds no turn of the event loop.
   */
  gate<K extends 'onConnect' | 'onLoadDocument' | 'beforeUnload'>(
    name: K,
    payload: PayloadOf<K>,
  ): Promise<void> | undefined {
    if (!this.has(name)) return undefined;
    return this.runGate(name, payload);
  }

  /** Runs every `onAuthenticate`; read-only if any says so. */
  async authenticate(payload: AuthenticatePayload): Promise<AuthenticateResult> {
    let readOnly = false;
    for (const extension of this.extensions) {
      const result = await extension.onAuthenticate?.(payload);
      if (result?.readOnly === true) readOnly = true;
    }
    return { readOnly };
  }

  notify<K extends 'onChange' | 'afterCommit' | 'onDisconnect'>(
    name: K,
    payload: PayloadOf<K>,
  ): void {
    for (const extension of this.extensions) {
      const handler = extension[name] as ((p: PayloadOf<K>) => unknown) | undefined;
      if (handler === undefined) continue;
      try {
        const result = handler.call(extension, payload);
        if (result instanceof Promise)
          result.catch((err: unknown) => this.failed(extension, name, err));
      } catch (err) {
        this.failed(extension, name, err);
      }
    }
  }

  private async runGate<K extends HookName>(name: K, payload: PayloadOf<K>): Promise<void> {
    for (const extension of this.extensions) {
      const handler = extension[name] as ((p: PayloadOf<K>) => unknown) | undefined;
      if (handler !== undefined) await handler.call(extension, payload);
    }
  }

  private failed(extension: Extension, hook: HookName, err: unknown): void {
    this.log.error({ err, extension: extension.name, hook }, 'an extension hook failed');
  }
}
