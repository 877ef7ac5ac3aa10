import path from 'node:path';
import type { Config, StorageBackend } from '../config.ts';
import { postgresConnectionOf } from './postgresPool.ts';
import { PostgresStorage } from './PostgresStorage.ts';
import { SQLITE_FILE_NAME, SqliteStorage } from './SqliteStorage.ts';
import type { BackupResult, Storage } from './Storage.ts';

/** The configured storage backend cannot be used by this build. */
export class StorageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageConfigError';
  }
}

function assertNever(backend: never): never {
  throw new StorageConfigError(`unknown storage backend ${JSON.stringify(backend)}`);
}

/**
 * The storage adapter the configuration asks for: SQLite in `DATA_DIR` by default, Postgres
 * when DATABASE_URL is set. The Postgres adapter migrates its schema on first use, so a server
 * whose database is still starting comes up and reports storage down until it answers.
 */
export function createStorage(config: Config): Storage {
  const backend: StorageBackend = config.storage.backend;
  switch (backend.kind) {
    case 'sqlite':
      return new SqliteStorage(backend.dataDir, {
        synchronous: config.storage.sqliteSynchronous,
      });
    case 'postgres':
      return new PostgresStorage(postgresConnectionOf(backend));
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
      return Promise.resolve(backend).then((pg) =>
        PostgresStorage.backupDatabase(postgresConnectionOf(pg), destination),
      );
    default:
      return assertNever(backend);
  }
}
