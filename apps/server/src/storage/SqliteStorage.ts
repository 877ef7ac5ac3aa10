import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DocMeta, Storage, StoredDoc, UpdateBatch } from './Storage.ts';

const SCHEMA_VERSION = 1;

interface DocRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
}

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly docs: number;
  readonly ms: number;
}

function backupDatabase(db: Database.Database, destinationFile: string): BackupResult {
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
    return { file, bytes: fs.statSync(file).size, docs, ms: Date.now() - started };
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

/** Runs synchronous SQLite work so that a throw becomes a rejection, as callers expect. */
const run = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));

const toMeta = (row: DocRow): DocMeta => ({
  id: row.id,
  title: row.title,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * SQLite adapter (better-sqlite3): WAL with synchronous=FULL, so a resolved `appendUpdates` is on
 * disk and survives kill -9 and power loss. Keys are bound parameters, never file paths.
 */
export class SqliteStorage implements Storage {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly appendTx;
  private readonly compactTx;
  private readonly deleteTx;
  private closed = false;

  /**
   * `synchronous`: 'full' (default) makes every commit durable against power loss; 'normal'
   * against a crash of this process only (WAL without an fsync per commit).
   */
  constructor(
    dataDir: string,
    options: { fileName?: string; synchronous?: 'full' | 'normal' } = {},
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, options.fileName ?? 'syspat.sqlite');
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    const db = this.db;
    this.statements = {
      insertDoc: db.prepare<[string, string, number, number]>(
        'INSERT INTO docs (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)',
      ),
      insertSnapshot: db.prepare<[string, Uint8Array, number]>(
        'INSERT INTO snapshots (doc_id, data, upto_seq) VALUES (?, ?, ?) ' +
          'ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq',
      ),
      getDoc: db.prepare<[string], DocRow>(
        'SELECT id, title, created_at, updated_at FROM docs WHERE id = ?',
      ),
      listDocs: db.prepare<[], DocRow>(
        'SELECT id, title, created_at, updated_at FROM docs ORDER BY updated_at DESC, id ASC',
      ),
      rename: db.prepare<[string, number, string]>(
        'UPDATE docs SET title = ?, updated_at = ? WHERE id = ?',
      ),
      touch: db.prepare<[number, string]>(
        'UPDATE docs SET updated_at = max(updated_at, ?) WHERE id = ?',
      ),
      getSnapshot: db.prepare<[string], { data: Buffer; upto_seq: number }>(
        'SELECT data, upto_seq FROM snapshots WHERE doc_id = ?',
      ),
      getUpdates: db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE doc_id = ? ORDER BY seq',
      ),
      insertUpdate: db.prepare<[string, Uint8Array]>(
        'INSERT INTO updates (doc_id, data) VALUES (?, ?)',
      ),
      deleteUpdatesUpTo: db.prepare<[string, number]>(
        'DELETE FROM updates WHERE doc_id = ? AND seq <= ?',
      ),
      deleteUpdates: db.prepare<[string]>('DELETE FROM updates WHERE doc_id = ?'),
      deleteSnapshot: db.prepare<[string]>('DELETE FROM snapshots WHERE doc_id = ?'),
      deleteDoc: db.prepare<[string]>('DELETE FROM docs WHERE id = ?'),
      ping: db.prepare('SELECT 1'),
    };
    this.appendTx = db.transaction((batches: readonly UpdateBatch[], now: number) => {
      const lastSeqs = new Map<string, number>();
      for (const batch of batches) {
        if (batch.updates.length === 0) continue;
        const touched = this.statements.touch.run(now, batch.docId);
        if (touched.changes === 0) continue; // deleted meanwhile: drop
        let seq = 0;
        for (const update of batch.updates) {
          seq = Number(this.statements.insertUpdate.run(batch.docId, update).lastInsertRowid);
        }
        lastSeqs.set(batch.docId, seq);
      }
      return lastSeqs;
    });
    this.compactTx = db.transaction((id: string, snapshot: Uint8Array, uptoSeq: number) => {
      if (this.statements.getDoc.get(id) === undefined) return;
      this.statements.insertSnapshot.run(id, snapshot, uptoSeq);
      this.statements.deleteUpdatesUpTo.run(id, uptoSeq);
    });
    this.deleteTx = db.transaction((id: string) => {
      this.statements.deleteUpdates.run(id);
      this.statements.deleteSnapshot.run(id);
      return this.statements.deleteDoc.run(id).changes > 0;
    });
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `${this.file} has schema version ${version}, newer than this server (${SCHEMA_VERSION}); upgrade syspat.`,
      );
    }
    if (version === SCHEMA_VERSION) return;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS docs (
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
      CREATE INDEX IF NOT EXISTS updates_doc_seq ON updates (doc_id, seq);
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  }

  createDoc(meta: DocMeta, initialState: Uint8Array): Promise<void> {
    return run(() => {
      this.db.transaction(() => {
        this.statements.insertDoc.run(meta.id, meta.title, meta.createdAt, meta.updatedAt);
        this.statements.insertSnapshot.run(meta.id, initialState, 0);
      })();
    });
  }

  getDocMeta(id: string): Promise<DocMeta | undefined> {
    return run(() => {
      const row = this.statements.getDoc.get(id);
      return row === undefined ? undefined : toMeta(row);
    });
  }

  listDocs(): Promise<DocMeta[]> {
    return run(() => this.statements.listDocs.all().map(toMeta));
  }

  renameDoc(id: string, title: string, now: number): Promise<DocMeta | undefined> {
    return run(() => {
      this.statements.rename.run(title, now, id);
      const row = this.statements.getDoc.get(id);
      return row === undefined ? undefined : toMeta(row);
    });
  }

  deleteDoc(id: string): Promise<boolean> {
    return run(() => this.deleteTx(id));
  }

  loadDoc(id: string): Promise<StoredDoc | undefined> {
    const read = this.db.transaction((): StoredDoc | undefined => {
      const row = this.statements.getDoc.get(id);
      if (row === undefined) return undefined;
      const snap = this.statements.getSnapshot.get(id);
      const rows = this.statements.getUpdates.all(id);
      const snapshot = snap === undefined ? null : new Uint8Array(snap.data);
      let storedBytes = snapshot?.byteLength ?? 0;
      const updates = rows.map((r) => {
        storedBytes += r.data.byteLength;
        return new Uint8Array(r.data);
      });
      const lastSeq = rows.length > 0 ? rows[rows.length - 1]!.seq : (snap?.upto_seq ?? 0);
      return { meta: toMeta(row), snapshot, updates, lastSeq, storedBytes };
    });
    return run(read);
  }

  appendUpdates(batches: readonly UpdateBatch[], now: number): Promise<Map<string, number>> {
    return run(() => this.appendTx(batches, now));
  }

  compact(id: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    return run(() => {
      this.compactTx(id, snapshot, uptoSeq);
    });
  }

  /**
   * Writes a consistent copy of the database to `destinationFile` while this connection (and any
   * server on the same file) keeps writing: `VACUUM INTO` reads one WAL snapshot, so the copy
   * holds every transaction committed before it started and none after. The copy goes to a
   * temporary file beside the destination and is renamed into place only after
   * `PRAGMA integrity_check` on it answered ok, so a failed backup never leaves a half file.
   */
  backup(destinationFile: string): Promise<BackupResult> {
    return run(() => backupDatabase(this.db, destinationFile));
  }

  /**
   * Backs up the database file `sourceFile` (for the `backup` CLI while a server runs): opens it
   * without creating or migrating it, only reads it (`VACUUM INTO` writes the destination alone;
   * `query_only` would refuse that too), and closes it again.
   */
  static backupFile(sourceFile: string, destinationFile: string): Promise<BackupResult> {
    return run(() => {
      const db = new Database(sourceFile, { fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        return backupDatabase(db, destinationFile);
      } finally {
        db.close();
      }
    });
  }

  /** The durability settings in force on this connection (synchronous: 2 = FULL). */
  settings(): { journalMode: string; synchronous: number } {
    return {
      journalMode: this.db.pragma('journal_mode', { simple: true }) as string,
      synchronous: this.db.pragma('synchronous', { simple: true }) as number,
    };
  }

  ping(): Promise<boolean> {
    return run(() => {
      if (this.closed) return false;
      this.statements.ping.get();
      return true;
    }).catch(() => false);
  }

  close(): Promise<void> {
    return run(() => {
      if (this.closed) return;
      this.closed = true;
      this.db.close();
    });
  }
}
