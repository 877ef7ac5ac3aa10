export { buildApp, type App, type BuildAppOptions } from './app.ts';
export { loadConfig, ConfigError, type Config, type ConfigVariable } from './config.ts';
export {
  CloseCode,
  closeReason,
  isPermanentCloseCode,
  type CloseCodeName,
  type CloseCodeValue,
} from '@syspat/protocol';
export {
  CollabServer,
  DocLoadError,
  DocMissingError,
  type CollabOptions,
  type ConnectionInfo,
} from './collab/CollabServer.ts';
export type { CollabSocket, Connection } from './collab/Connection.ts';
export {
  ConnectionRejected,
  type AfterCommitPayload,
  type AuthenticatePayload,
  type AuthenticateResult,
  type BeforeUnloadPayload,
  type ChangePayload,
  type ConnectPayload,
  type DisconnectPayload,
  type Extension,
  type LoadDocumentPayload,
} from './collab/hooks.ts';
export {
  EXTENSION_ORIGIN,
  LOAD_ORIGIN,
  REST_ORIGIN,
  RESTORE_ORIGIN,
  clientOrigin,
  instanceOrigin,
  originOf,
  type ClientOrigin,
  type InstanceOrigin,
  type LoadOrigin,
  type Origin,
  type ServerOrigin,
} from '@syspat/protocol';
export { DOC_ID_PATTERN, newDocId, parseDocId } from './docId.ts';
export { AppError } from './errors.ts';
export { SqliteStorage } from './storage/SqliteStorage.ts';
export type { DocMeta, Storage, StoredDoc, UpdateBatch } from './storage/Storage.ts';
