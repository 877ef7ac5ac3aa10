import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { checkUpdate } from '../collab/updateGuard.ts';
import { type ForeignRow, planCompaction } from './planCompaction.ts';
import { backupSqlite, backupSqliteFile } from './sqliteBackup.ts';
import { migrateSqlite } from './sqliteSchema.ts';
import type {
  BackupResult,
  CompactResult,
  DocMeta,
  Storage,
  StoredDoc,
  UpdateBatch,
} from './Storage.ts';

/** The database file in `DATA_DIR`. */
export const SQLITE_FILE_NAME = 'syspat.sqlite';

interface DocRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
}

/**
 * This adapter instance's mark on the rows and snapshots it writes: random, so that two servers
 * (or two instances in one test) on one file never share one, and never 0 (unknown).
 */
const newWriterId = (): number => randomInt(1, 2 ** 47);

/** What this instance's first `loadDoc` of a document returned (see `compactTx`). */
interface FirstLoad {
  readonly generation: number;
  readonly lastSeq: number;
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
  /** Marks the rows and snapshots this instance writes (see `planCompaction`). */
  readonly writer = newWriterId();
  private readonly db: Database.Database;
  private readonly statements;
  private readonly appendTx;
  private readonly compactTx;
  private readonly deleteTx;
  private readonly firstLoads = new Map<string, FirstLoad>();
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
    this.file = path.join(dataDir, options.fileName ?? SQLITE_FILE_NAME);
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    migrateSqlite(this.db, this.file);
    const db = this.db;
    this.statements = {
      insertDoc: db.prepare<[string, string, number, number]>(
        'INSERT INTO docs (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)',
      ),
      insertSnapshot: db.prepare<[string, Uint8Array, number, number, number]>(
        'INSERT INTO snapshots (doc_id, data, upto_seq, writer, generation) ' +
          'VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, ' +
          'upto_seq = excluded.upto_seq, writer = excluded.writer, generation = excluded.generation',
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
      getSnapshot: db.prepare<[string], { data: Buffer; upto_seq: number; generation: number }>(
        'SELECT data, upto_seq, generation FROM snapshots WHERE doc_id = ?',
      ),
      getSnapshotMark: db.prepare<[string], { writer: number; generation: number }>(
        'SELECT writer, generation FROM snapshots WHERE doc_id = ?',
      ),
      getSnapshotData: db.prepare<[string], { data: Buffer }>(
        'SELECT data FROM snapshots WHERE doc_id = ?',
      ),
      getUpdates: db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE doc_id = ? ORDER BY seq',
      ),
      insertUpdate: db.prepare<[string, Uint8Array, number]>(
        'INSERT INTO updates (doc_id, data, writer) VALUES (?, ?, ?)',
      ),
      deleteOwnUpdatesUpTo: db.prepare<[string, number, number]>(
        'DELETE FROM updates WHERE doc_id = ? AND seq <= ? AND writer = ?',
      ),
      foreignUpdatesUpTo: db.prepare<[string, number, number], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE doc_id = ? AND seq <= ? AND writer != ? ORDER BY seq',
      ),
      deleteUpdate: db.prepare<[number]>('DELETE FROM updates WHERE seq = ?'),
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
          seq = Number(
            this.statements.insertUpdate.run(batch.docId, update, this.writer).lastInsertRowid,
          );
        }
        lastSeqs.set(batch.docId, seq);
      }
      return lastSeqs;
    });
    /*
     * What the caller's document holds without a look: the rows this instance appended, and what
     * this instance's first load of the document returned (the snapshot of that generation, the
     * rows up to its last seq; a row committed later has a higher seq in SQLite). Every room
     * loads before it compacts and later loads only add to the first, so this is a subset of the
     * caller's state. The rest (another writer's later rows and snapshot) goes to planCompaction.
     * (A Postgres adapter cannot trust seqs so: a sequence value is taken before its commit.)
     */
    this.compactTx = db.transaction(
      (id: string, snapshot: Uint8Array, uptoSeq: number): CompactResult => {
        if (this.statements.getDoc.get(id) === undefined) return { removedRows: 0, keptRows: 0 };
        const first = this.firstLoads.get(id);
        const mark = this.statements.getSnapshotMark.get(id);
        const knownSnapshot =
          mark === undefined ||
          mark.writer === this.writer ||
          mark.generation === first?.generation;
        const oldData = knownSnapshot ? undefined : this.statements.getSnapshotData.get(id)?.data;
        const foreign = this.statements.foreignUpdatesUpTo
          .all(id, uptoSeq, this.writer)
          .map((r) => ({ seq: r.seq, data: new Uint8Array(r.data) }));
        // a corrupt row is never in the caller's document, even if the first load returned it
        const loaded = (row: ForeignRow) =>
          row.seq <= (first?.lastSeq ?? 0) && checkUpdate(row.data) === undefined;
        const plan = planCompaction({
          snapshot,
          foreignSnapshot: oldData === undefined ? undefined : new Uint8Array(oldData),
          foreignRows: foreign.filter((row) => !loaded(row)),
        });
        if (!plan.foreignSnapshotCovered && oldData !== undefined) {
          // what only the old snapshot holds stays, as a log row of an unknown writer
          this.statements.insertUpdate.run(id, oldData, 0);
        }
        this.statements.insertSnapshot.run(id, snapshot, uptoSeq, this.writer, newWriterId());
        const drop = new Set(plan.coveredSeqs);
        for (const row of foreign) if (loaded(row)) drop.add(row.seq);
        let removedRows = this.statements.deleteOwnUpdatesUpTo.run(
          id,
          uptoSeq,
          this.writer,
        ).changes;
        for (const seq of drop) removedRows += this.statements.deleteUpdate.run(seq).changes;
        const kept = foreign.length - drop.size;
        return { removedRows, keptRows: kept };
      },
    );
    this.deleteTx = db.transaction((id: string) => {
      this.firstLoads.delete(id);
      this.statements.deleteUpdates.run(id);
      this.statements.deleteSnapshot.run(id);
      return this.statements.deleteDoc.run(id).changes > 0;
    });
  }

  createDoc(meta: DocMeta, initialState: Uint8Array): Promise<void> {
    return run(() => {
      this.db.transaction(() => {
        this.statements.insertDoc.run(meta.id, meta.title, meta.createdAt, meta.updatedAt);
        this.statements.insertSnapshot.run(meta.id, initialState, 0, this.writer, newWriterId());
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
      if (!this.firstLoads.has(id)) {
        this.firstLoads.set(id, { generation: snap?.generation ?? 0, lastSeq });
      }
      return { meta: toMeta(row), snapshot, updates, lastSeq, storedBytes };
    });
    return run(read);
  }

  appendUpdates(batches: readonly UpdateBatch[], now: number): Promise<Map<string, number>> {
    return run(() => this.appendTx(batches, now));
  }

  compact(id: string, snapshot: Uint8Array, uptoSeq: number): Promise<CompactResult> {
    return run(() => this.compactTx(id, snapshot, uptoSeq));
  }

  /** A consistent copy of the database while this connection keeps writing (`sqliteBackup.ts`). */
  backup(destinationFile: string): Promise<BackupResult> {
    return run(() => backupSqlite(this.db, destinationFile));
  }

  /** Backs up the database file `sourceFile` without opening it as a store (the backup CLI). */
  static backupFile(sourceFile: string, destinationFile: string): Promise<BackupResult> {
    return run(() => backupSqliteFile(sourceFile, destinationFile));
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
