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
  SERVER_ORIGIN,
  type ConnectionInfo,
} from './collab/CollabServer.ts';
export type { CollabSocket } from './collab/Connection.ts';
export { DOC_ID_PATTERN, newDocId, parseDocId } from './docId.ts';
export { AppError } from './errors.ts';
export { SqliteStorage } from './storage/SqliteStorage.ts';
export type { DocMeta, Storage, StoredDoc, UpdateBatch } from './storage/Storage.ts';
