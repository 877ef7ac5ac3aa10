/**
 * Every websocket close code the collaboration server sends, with the reason text. The web app
 * switches on these. The stock y-websocket client treats 4400–4499 as permanent (it stops
 * reconnecting and emits `closed`), so a 44xx code must mean "retrying cannot help"; everything
 * else is retried with back-off.
 */
export const CloseCode = {
  /** Normal close (e.g. the document was deleted while open is 4404, not this). */
  Normal: 1000,
  /** ws-level protocol error (bad opcode, RSV bits): sent by `ws` itself. */
  ProtocolError: 1002,
  /** Text frame, or a message type this server does not speak. */
  UnsupportedData: 1003,
  /** A binary message that is not a well-formed y-websocket message or Yjs update. */
  InvalidPayload: 1007,
  /** Message larger than WS_MAX_MESSAGE_BYTES (sent by `ws` through maxPayload), or awareness too big. */
  MessageTooBig: 1009,
  /** The server failed (e.g. the stored document could not be loaded). Retried with back-off. */
  InternalError: 1011,
  /** Graceful shutdown or restart: reconnect shortly. */
  ServiceRestart: 1012,
  /** Temporary condition (storage unavailable, client too slow to read): reconnect later. */
  TryAgainLater: 1013,
  /** No document with this id (or it was deleted while open). Permanent. */
  DocumentNotFound: 4404,
  /** The document would exceed MAX_DOC_BYTES. Permanent until someone shrinks it. */
  DocumentTooLarge: 4413,
  /** The document already has MAX_CLIENTS_PER_DOC clients. Transient. */
  TooManyClients: 4503,
  /** This connection sent more than its message or byte rate. Transient. */
  RateLimited: 4529,
} as const;

export type CloseCodeName = keyof typeof CloseCode;
export type CloseCodeValue = (typeof CloseCode)[CloseCodeName];

export const closeReason: Readonly<Record<CloseCodeValue, string>> = {
  [CloseCode.Normal]: 'closed',
  [CloseCode.ProtocolError]: 'protocol error',
  [CloseCode.UnsupportedData]: 'unsupported message',
  [CloseCode.InvalidPayload]: 'malformed message',
  [CloseCode.MessageTooBig]: 'message too big',
  [CloseCode.InternalError]: 'server error',
  [CloseCode.ServiceRestart]: 'server restarting',
  [CloseCode.TryAgainLater]: 'try again later',
  [CloseCode.DocumentNotFound]: 'document not found',
  [CloseCode.DocumentTooLarge]: 'document too large',
  [CloseCode.TooManyClients]: 'too many clients on this document',
  [CloseCode.RateLimited]: 'rate limited',
};

/** True when the stock client will not reconnect after this code. */
export const isPermanentCloseCode = (code: number): boolean => code >= 4400 && code < 4500;
