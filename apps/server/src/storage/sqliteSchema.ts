import type Database from 'better-sqlite3';

/**
 * The SQLite schema as an ordered list of steps; `PRAGMA user_version` is the number of steps
 * applied. A step is never edited once released: a change is a new step at the end.
 */
const STEPS: readonly string[] = [
  // 1: documents, one snapshot each, and the append-only update log
  `CREATE TABLE IF NOT EXISTS docs (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX IF NOT EXISTS docs_updated_at ON docs (updated_at DESC);
   CREATE TABLE IF NOT EXISTS snapshots (
     doc_id TEXT PRIMARY KEY,
     data BLOB NOT NULL,
     upto_seq INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE IF NOT EXISTS updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     doc_id TEXT NOT NULL,
     data BLOB NOT NULL
   ) STRICT;
   CREATE INDEX IF NOT EXISTS updates_doc_seq ON updates (doc_id, seq);`,
  // 2: which adapter instance wrote a row or a snapshot (0: unknown, written before step 2), and
  // a random generation per snapshot write, so compaction knows what it may drop without decoding
  `ALTER TABLE updates ADD COLUMN writer INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE snapshots ADD COLUMN writer INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE snapshots ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;`,
];

export const SQLITE_SCHEMA_VERSION = STEPS.length;

const versionOf = (db: Database.Database): number =>
  db.pragma('user_version', { simple: true }) as number;

/**
 * Brings the database to the current schema. The steps run in one IMMEDIATE transaction that
 * reads the version again under the write lock, so two servers starting on one file at once
 * do not both apply a step. A file newer than this build is refused, never downgraded.
 */
export function migrateSqlite(db: Database.Database, file: string): void {
  const refuseNewer = (version: number) => {
    if (version > SQLITE_SCHEMA_VERSION) {
      throw new Error(
        `${file} has schema version ${version}, newer than this server (${SQLITE_SCHEMA_VERSION}); ` +
          'upgrade syspat, or restore a backup taken by this version.',
      );
    }
  };
  const before = versionOf(db);
  refuseNewer(before);
  if (before === SQLITE_SCHEMA_VERSION) return;
  db.transaction(() => {
    const version = versionOf(db);
    refuseNewer(version);
    for (let step = version; step < SQLITE_SCHEMA_VERSION; step++) db.exec(STEPS[step]!);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }).immediate();
}
