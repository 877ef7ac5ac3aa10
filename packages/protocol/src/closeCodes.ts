/**
 * Every websocket close code the collaboration server sends: its name, the reason text sent with
 * it, and whether a client should reconnect. The web app switches on the names. The stock
 * y-websocket client treats 4400–4499 as permanent (it stops reconnecting and emits `closed`), so
 * a 44xx code must mean "retrying cannot help"; everything else is retried with back-off.
 */
const closeCodes = {
  /** Normal close (a document deleted while open is DocumentNotFound, not this). */
  Normal: { code: 1000, reason: 'closed', retry: true },
  /** ws-level protocol error (bad opcode, RSV bits): sent by `ws` itself. */
  ProtocolError: { code: 1002, reason: 'protocol error', retry: true },
  /** Text frame, or a message type this server does not speak. */
  UnsupportedData: { code: 1003, reason: 'unsupported message', retry: true },
  /** A binary message that is not a well-formed y-websocket message or Yjs update. */
  InvalidPayload: { code: 1007, reason: 'malformed message', retry: true },
  /** Message larger than WS_MAX_MESSAGE_BYTES (sent by `ws` through maxPayload), or awareness too big. */
  MessageTooBig: { code: 1009, reason: 'message too big', retry: true },
  /** The server failed (e.g. the stored document could not be loaded). Retried with back-off. */
  InternalError: { code: 1011, reason: 'server error', retry: true },
  /** Graceful shutdown or restart: reconnect shortly. */
  ServiceRestart: { code: 1012, reason: 'server restarting', retry: true },
  /** Temporary condition (storage unavailable, client too slow to read): reconnect later. */
  TryAgainLater: { code: 1013, reason: 'try again later', retry: true },
  /** No document with this id (or it was deleted while open). Permanent. */
  DocumentNotFound: { code: 4404, reason: 'document not found', retry: false },
  /** The document would exceed MAX_DOC_BYTES. Permanent until someone shrinks it. */
  DocumentTooLarge: { code: 4413, reason: 'document too large', retry: false },
  /** The document already has MAX_CLIENTS_PER_DOC clients. Transient. */
  TooManyClients: { code: 4503, reason: 'too many clients on this document', retry: true },
  /** This connection sent more than its message or byte rate. Transient. */
  RateLimited: { code: 4529, reason: 'rate limited', retry: true },
} as const;

type CloseCodes = typeof closeCodes;
export type CloseCodeName = keyof CloseCodes;
export type CloseCodeValue = CloseCodes[CloseCodeName]['code'];

const names = Object.keys(closeCodes) as CloseCodeName[];

/** Close code numbers by name: `CloseCode.DocumentNotFound` is 4404. */
export const CloseCode = Object.freeze(
  Object.fromEntries(names.map((name) => [name, closeCodes[name].code])),
) as { readonly [N in CloseCodeName]: CloseCodes[N]['code'] };

/** The reason text the server sends with each code. */
export const closeReason = Object.freeze(
  Object.fromEntries(names.map((name) => [closeCodes[name].code, closeCodes[name].reason])),
) as Readonly<Record<CloseCodeValue, string>>;

const nameByCode = new Map<number, CloseCodeName>(
  names.map((name) => [closeCodes[name].code, name]),
);

/** The name of a close code this server sends, or undefined for any other number. */
export const closeCodeName = (code: number): CloseCodeName | undefined => nameByCode.get(code);

/** True when the stock client will not reconnect after this code (4400–4499). */
export const isPermanentCloseCode = (code: number): boolean => code >= 4400 && code < 4500;

/**
 * Whether a client should reconnect after the server closed with this code. Codes this server
 * never sends follow the stock client's rule (only 44xx is permanent).
 */
export function shouldRetry(code: number): boolean {
  const name = closeCodeName(code);
  return name === undefined ? !isPermanentCloseCode(code) : closeCodes[name].retry;
}
