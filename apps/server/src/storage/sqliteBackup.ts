import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BackupResult } from './Storage.ts';

/**
 * Writes a consistent copy of `db` to `destinationFile` while writers go on: `VACUUM INTO` reads
 * one WAL snapshot, so the copy holds every transaction committed before it started and none
 * after. The copy goes to a temporary file beside the destination and is renamed into place only
 * after `PRAGMA integrity_check` on it answered ok, so a failed backup never leaves a half file.
 */
export function backupSqlite(db: Database.Database, destinationFile: string): BackupResult {
  const started = Date.now();
  const file = path.resolve(destinationFile);
  if (fs.existsSync(file)) throw new Error(`${file} exists; choose a new backup file name.`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.partial-${process.pid}`;
  fs.rmSync(temp, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(temp);
    const copy = new Database(temp, { fileMustExist: true });
    let docs: number;
    try {
      const check = copy.pragma('integrity_check', { simple: true }) as string;
      if (check !== 'ok') throw new Error(`backup failed its integrity check: ${check}`);
      docs = (copy.prepare('SELECT count(*) AS n FROM docs').get() as { n: number }).n;
    } finally {
      copy.close();
    }
    fs.renameSync(temp, file);
    return {
      source: db.name,
      file,
      bytes: fs.statSync(file).size,
      docs,
      ms: Date.now() - started,
    };
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

/**
 * Backs up the database file `sourceFile` (for the `backup` CLI while a server runs): opens it
 * without creating or migrating it, only reads it (`VACUUM INTO` writes the destination alone;
 * `query_only` would refuse that too), and closes it again.
 */
export function backupSqliteFile(sourceFile: string, destinationFile: string): BackupResult {
  const db = new Database(sourceFile, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return backupSqlite(db, destinationFile);
  } finally {
    db.close();
  }
}
