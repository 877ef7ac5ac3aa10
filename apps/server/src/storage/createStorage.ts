import path from 'node:path';
import type { Config, StorageBackend } from '../config.ts';
import { SQLITE_FILE_NAME, SqliteStorage } from './SqliteStorage.ts';
import type { BackupResult, Storage } from './Storage.ts';

/** The configured storage backend cannot be used by this build. */
export class StorageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageConfigError';
  }
}

const postgresNotBuilt = () =>
  new StorageConfigError(
    'DATABASE_URL is set, but this build of syspat has no Postgres adapter yet. ' +
      'Fix: unset DATABASE_URL to keep the documents in SQLite in DATA_DIR.',
  );

function assertNever(backend: never): never {
  throw new StorageConfigError(`unknown storage backend ${JSON.stringify(backend)}`);
}

/**
 * The storage adapter the configuration asks for: SQLite in `DATA_DIR` by default, Postgres
 * when DATABASE_URL is set (an adapter that passes `storageContract.ts` goes in here).
 */
export function createStorage(config: Config): Storage {
  const backend: StorageBackend = config.storage.backend;
  switch (backend.kind) {
    case 'sqlite':
      return new SqliteStorage(backend.dataDir, {
        synchronous: config.storage.sqliteSynchronous,
      });
    case 'postgres':
      throw postgresNotBuilt();
    default:
      return assertNever(backend);
  }
}

/**
 * Backs up the configured store to `destination` while servers keep writing to it, without
 * opening it as a store (no schema migration, no file created): what the backup CLI runs.
 */
export function backupStorage(config: Config, destination: string): Promise<BackupResult> {
  const backend: StorageBackend = config.storage.backend;
  switch (backend.kind) {
    case 'sqlite':
      return SqliteStorage.backupFile(path.join(backend.dataDir, SQLITE_FILE_NAME), destination);
    case 'postgres':
      return Promise.reject(postgresNotBuilt());
    default:
      return assertNever(backend);
  }
}
