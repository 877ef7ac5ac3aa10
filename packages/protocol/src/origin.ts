/**
 * Where a Y.Doc transaction came from: every transaction the sync core runs carries one of these
 * as its Yjs `origin`, and the kind alone decides what happens to the update it produced.
 *
 * | kind       | stored                   | sent to the room's clients                          |
 * |------------|--------------------------|-----------------------------------------------------|
 * | `client`   | yes, by the group commit | after the commit, to everyone (the author's echo is its acknowledgement) |
 * | `server`   | yes, once                | after the commit, to everyone; there is no author to echo to |
 * | `instance` | no: the instance that received it stored it | at once (it is committed already) |
 * | `load`     | no: it came from storage | no: clients sync against the loaded state            |
 *
 * Generic over the client type so that this file depends on nothing (it is wire vocabulary that
 * other instances and tools share).
 */
export type Origin<Client = unknown> =
  ClientOrigin<Client> | InstanceOrigin | ServerOrigin | LoadOrigin;

/** An update a client connection sent. */
export interface ClientOrigin<Client = unknown> {
  readonly kind: 'client';
  readonly client: Client;
}

/** An update another server instance received (and stored) first, relayed to this one. */
export interface InstanceOrigin {
  readonly kind: 'instance';
  readonly instanceId: string;
}

/**
 * A write made by the server itself: a REST import, a restore, or an extension's own change.
 * A transaction without one of these tags (Yjs' default `null` origin) counts as `extension`, so
 * that nothing written into a live document is ever dropped.
 */
export interface ServerOrigin {
  readonly kind: 'server';
  readonly via: 'rest' | 'restore' | 'extension';
}

/** Filling a room from storage. */
export interface LoadOrigin {
  readonly kind: 'load';
}

export type OriginKind = Origin['kind'];

export const LOAD_ORIGIN: LoadOrigin = Object.freeze({ kind: 'load' });
export const REST_ORIGIN: ServerOrigin = Object.freeze({ kind: 'server', via: 'rest' });
export const RESTORE_ORIGIN: ServerOrigin = Object.freeze({ kind: 'server', via: 'restore' });
export const EXTENSION_ORIGIN: ServerOrigin = Object.freeze({ kind: 'server', via: 'extension' });

export const clientOrigin = <Client>(client: Client): ClientOrigin<Client> =>
  Object.freeze({ kind: 'client', client });

export const instanceOrigin = (instanceId: string): InstanceOrigin =>
  Object.freeze({ kind: 'instance', instanceId });

const KINDS: ReadonlySet<unknown> = new Set<OriginKind>(['client', 'instance', 'server', 'load']);

/** The tagged origin of a transaction; an untagged one is an extension's server write. */
export function originOf(transactionOrigin: unknown): Origin {
  if (
    typeof transactionOrigin === 'object' &&
    transactionOrigin !== null &&
    KINDS.has((transactionOrigin as { kind?: unknown }).kind)
  )
    return transactionOrigin as Origin;
  return EXTENSION_ORIGIN;
}

/** True for the updates the sync core stores (client and server writes). */
export const isStored = (origin: Origin): boolean =>
  origin.kind === 'client' || origin.kind === 'server';
