export {
  CloseCode,
  closeCodeName,
  closeReason,
  isPermanentCloseCode,
  shouldRetry,
  type CloseCodeName,
  type CloseCodeValue,
} from './closeCodes.ts';
export {
  MessageType,
  SyncMessageType,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeCommitAck,
  encodeQueryAwareness,
  encodeSubscribeCommits,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type AwarenessEntry,
  type MessageTypeValue,
  type SyncMessageTypeValue,
} from './messages.ts';
export {
  decodeClientMessage,
  type ClientMessage,
  type DecodeLimits,
  type ProtocolViolation,
} from './decodeClientMessage.ts';
export { decodeServerMessage, type ServerMessage } from './decodeServerMessage.ts';
export {
  DepSlot,
  NO_DEP,
  checkUpdate,
  walkUpdate,
  type StructDeps,
  type UpdateVisitor,
} from './walkUpdate.ts';
export { splitAndCount, splitUpdate } from './splitUpdate.ts';
export {
  EXTENSION_ORIGIN,
  LOAD_ORIGIN,
  REST_ORIGIN,
  RESTORE_ORIGIN,
  clientOrigin,
  instanceOrigin,
  isStored,
  originOf,
  type ClientOrigin,
  type InstanceOrigin,
  type LoadOrigin,
  type Origin,
  type OriginKind,
  type ServerOrigin,
} from './origin.ts';
