import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { checkUpdate } from '@syspat/protocol';
import { type ForeignRow, planCompaction } from './planCompaction.ts';
import { backupPostgres } from './postgresBackup.ts';
import { createPostgresPool, describeServer, type PostgresConnection } from './postgresPool.ts';
import { migratePostgres } from './postgresSchema.ts';
import { postgresStatements } from './postgresStatements.ts';
import type {
  BackupResult,
  CompactResult,
  DocMeta,
  Storage,
  StoredDoc,
  UpdateBatch,
} from './Storage.ts';

interface DocRow {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  last_seq: string;
}

const toMeta = (row: DocRow): DocMeta => ({
  id: row.id,
  title: row.title,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

/** Bytes for a bytea parameter, without a copy. */
export const toBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const fromBuffer = (data: Buffer): Uint8Array => new Uint8Array(data);

/** A random stamp for a document incarnation or a snapshot write. */
const newStamp = (): number => randomInt(1, 2 ** 47);

/** What this instance's first `loadDoc` of a document returned (see `compact`). */
interface FirstLoad {
  readonly incarnation: number;
  readonly generation: number;
  readonly lastSeq: number;
}

/** Deadlock-free lock order for a commit touching several documents. */
const byDocId = (a: UpdateBatch, b: UpdateBatch) =>
  a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : 0;

/**
 * Postgres adapter (node-postgres): the same tables as SQLite, in one schema, shared by any number
 * of instances. A resolved `appendUpdates` is committed with synchronous_commit on, so it is on
 * the server's disk.
 *
 * Sequence numbers are per document, gap-free and in commit order: a commit bumps
 * `docs.last_seq` by the number of updates it appends, under that document's row lock, which it
 * holds until it commits. A second instance committing to the same document waits for the lock
 * and then reads the first one's counter, so numbers never repeat; a commit that rolls back rolls
 * its bump back, so none are skipped; and no row with a lower number can become visible after
 * one with a higher number, so a reader that has seen sequence S (a poller, a fan-out receiver
 * looking for a gap) only ever has to ask for rows above S. A global serial could not promise the
 * last part: two transactions draw 7 and 8, 8 commits first, and a reader at 8 never sees 7.
 * Compaction deletes rows, so the log of a compacted document has holes, never new numbers in
 * them.
 *
 * The schema is migrated on first use (see `ready`), so a server whose database is not up yet
 * starts, reports storage down on /api/health and retries on the next call.
 */
export class PostgresStorage implements Storage {
  /** Marks the rows and snapshots this instance writes (see `planCompaction`). */
  readonly writer = randomInt(1, 2 ** 47);
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly sql;
  private readonly firstLoads = new Map<string, FirstLoad>();
  private readyPromise: Promise<void> | undefined;
  /** How an append transaction starts; raises synchronous_commit when the server has it off. */
  private beginAppend = 'BEGIN';
  private closed = false;

  constructor(private readonly connection: PostgresConnection) {
    this.schema = connection.schema ?? 'public';
    this.pool = createPostgresPool(connection);
    this.sql = postgresStatements(this.schema);
    // start migrating at once; a failure is reported by the first call that needs the store
    this.ready().catch(() => undefined);
  }

  /**
   * Resolves once the schema is migrated. A failure (server down, no privilege, a schema newer
   * than this build) rejects this call and is retried by the next one.
   */
  ready(): Promise<void> {
    this.readyPromise ??= this.migrate().catch((err: unknown) => {
      this.readyPromise = undefined;
      throw new Error(
        `Postgres storage at ${describeServer(this.connection.url, this.schema)} is not ` +
          `usable: ${(err as Error).message}. Fix: check DATABASE_URL and that the server ` +
          'is up; syspat retries on the next request.',
        { cause: err },
      );
    });
    return this.readyPromise;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await migratePostgres(client, this.schema);
      const { rows } = await client.query<{ synchronous_commit: string }>(
        'SHOW synchronous_commit',
      );
      // 'off' would acknowledge commits before they are on disk; stronger settings are kept
      if (rows[0]?.synchronous_commit === 'off') {
        this.beginAppend = 'BEGIN; SET LOCAL synchronous_commit = on';
      }
    } finally {
      client.release();
    }
  }

  /** Runs `work` in one transaction on one pooled connection. */
  private async transaction<T>(
    work: (client: pg.PoolClient) => Promise<T>,
    begin = 'BEGIN',
  ): Promise<T> {
    await this.ready();
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      // a connection whose ROLLBACK failed is in an unknown state: close it, never reuse it
      client.release(broken);
    }
  }

  private async query<R extends pg.QueryResultRow>(
    text: string,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    await this.ready();
    return this.pool.query<R>(text, values);
  }

  createDoc(meta: DocMeta, initialState: Uint8Array): Promise<void> {
    return this.transaction(async (client) => {
      await client.query(this.sql.insertDoc, [
        meta.id,
        meta.title,
        meta.createdAt,
        meta.updatedAt,
        newStamp(),
      ]);
      await client.query(this.sql.upsertSnapshot, [
        meta.id,
        toBuffer(initialState),
        0,
        this.writer,
        newStamp(),
      ]);
    });
  }

  async getDocMeta(id: string): Promise<DocMeta | undefined> {
    const { rows } = await this.query<DocRow>(this.sql.getDoc, [id]);
    return rows[0] === undefined ? undefined : toMeta(rows[0]);
  }

  async listDocs(): Promise<DocMeta[]> {
    const { rows } = await this.query<DocRow>(this.sql.listDocs, []);
    return rows.map(toMeta);
  }

  async renameDoc(id: string, title: string, now: number): Promise<DocMeta | undefined> {
    const { rows } = await this.query<DocRow>(this.sql.rename, [id, title, now]);
    return rows[0] === undefined ? undefined : toMeta(rows[0]);
  }

  /** The snapshot and the log go with the document (ON DELETE CASCADE). */
  async deleteDoc(id: string): Promise<boolean> {
    this.firstLoads.delete(id);
    const result = await this.query(this.sql.deleteDoc, [id]);
    return (result.rowCount ?? 0) > 0;
  }

  /** One consistent read: the metadata, snapshot and log as of one moment. */
  loadDoc(id: string): Promise<StoredDoc | undefined> {
    return this.transaction(async (client) => {
      const doc = (await client.query<DocRow & { incarnation: string }>(this.sql.loadDoc, [id]))
        .rows[0];
      if (doc === undefined) return undefined;
      const snap = (
        await client.query<{ data: Buffer; generation: string }>(this.sql.getSnapshot, [id])
      ).rows[0];
      const rows = (await client.query<{ data: Buffer }>(this.sql.getUpdates, [id])).rows;
      const snapshot = snap === undefined ? null : fromBuffer(snap.data);
      let storedBytes = snapshot?.byteLength ?? 0;
      const updates = rows.map((row) => {
        storedBytes += row.data.byteLength;
        return fromBuffer(row.data);
      });
      // the counter, not the last row: it also counts rows another writer's compaction removed
      const lastSeq = Number(doc.last_seq);
      const incarnation = Number(doc.incarnation);
      if (this.firstLoads.get(id)?.incarnation !== incarnation) {
        const generation = snap === undefined ? 0 : Number(snap.generation);
        this.firstLoads.set(id, { incarnation, generation, lastSeq });
      }
      return { meta: toMeta(doc), snapshot, updates, lastSeq, storedBytes };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  appendUpdates(batches: readonly UpdateBatch[], now: number): Promise<Map<string, number>> {
    const ordered = batches.filter((b) => b.updates.length > 0).sort(byDocId);
    if (ordered.length === 0) return Promise.resolve(new Map<string, number>());
    return this.transaction(async (client) => {
      const lastSeqs = new Map<string, number>();
      for (const batch of ordered) {
        const count = batch.updates.length;
        const reserved = await client.query<{ last_seq: string }>(this.sql.reserveSeqs, [
          batch.docId,
          count,
          now,
        ]);
        const row = reserved.rows[0];
        if (row === undefined) continue; // deleted meanwhile: drop
        const lastSeq = Number(row.last_seq);
        await client.query(this.sql.insertUpdates, [
          batch.docId,
          lastSeq - count,
          batch.updates.map(toBuffer),
          this.writer,
        ]);
        lastSeqs.set(batch.docId, lastSeq);
      }
      return lastSeqs;
    }, this.beginAppend);
  }

  /**
   * What the caller's document holds without a look: the rows this instance appended, and what
   * this instance's first load of the document returned (the snapshot of that generation, and
   * every row up to the counter it read). That holds here as in SQLite because the counter is
   * drawn and its rows inserted in one commit under the row lock: the load's REPEATABLE READ
   * snapshot saw every row numbered up to the counter it read, and any row written later has a
   * higher number. The rest (another writer's later rows or snapshot) goes to planCompaction.
   */
  compact(id: string, snapshot: Uint8Array, uptoSeq: number): Promise<CompactResult> {
    return this.transaction(async (client) => {
      // the row lock orders this compaction after commits in flight and before later ones
      const locked = (await client.query<{ incarnation: string }>(this.sql.lockDoc, [id])).rows[0];
      if (locked === undefined) return { removedRows: 0, keptRows: 0 };
      const seen = this.firstLoads.get(id);
      // a first load of a document since deleted and recreated under this id counts for nothing
      const first = seen?.incarnation === Number(locked.incarnation) ? seen : undefined;
      const mark = (
        await client.query<{ writer: string; generation: string }>(this.sql.getSnapshotMark, [id])
      ).rows[0];
      const knownSnapshot =
        mark === undefined ||
        Number(mark.writer) === this.writer ||
        Number(mark.generation) === first?.generation;
      const oldData = knownSnapshot
        ? undefined
        : (await client.query<{ data: Buffer }>(this.sql.getSnapshotData, [id])).rows[0]?.data;
      const foreign = (
        await client.query<{ seq: string; data: Buffer }>(this.sql.foreignUpdatesUpTo, [
          id,
          uptoSeq,
          this.writer,
        ])
      ).rows.map((row) => ({ seq: Number(row.seq), data: fromBuffer(row.data) }));
      // a corrupt row is never in the caller's document, even if the first load returned it
      const loaded = (row: ForeignRow) =>
        row.seq <= (first?.lastSeq ?? 0) && checkUpdate(row.data) === undefined;
      // throws, rolling everything back, when `snapshot` is not an update and rows are at stake
      const plan = planCompaction({
        snapshot,
        foreignSnapshot: oldData === undefined ? undefined : fromBuffer(oldData),
        foreignRows: foreign.filter((row) => !loaded(row)),
      });
      if (!plan.foreignSnapshotCovered && oldData !== undefined) {
        // what only the old snapshot holds stays, as a log row of an unknown writer
        const seq = (await client.query<{ last_seq: string }>(this.sql.reserveSeq, [id])).rows[0]!
          .last_seq;
        await client.query(this.sql.insertUpdates, [id, Number(seq) - 1, [oldData], 0]);
      }
      await client.query(this.sql.upsertSnapshot, [
        id,
        toBuffer(snapshot),
        uptoSeq,
        this.writer,
        newStamp(),
      ]);
      const drop = new Set(plan.coveredSeqs);
      for (const row of foreign) if (loaded(row)) drop.add(row.seq);
      const own = await client.query(this.sql.deleteOwnUpdatesUpTo, [id, uptoSeq, this.writer]);
      const dropped =
        drop.size === 0
          ? 0
          : ((await client.query(this.sql.deleteUpdatesBySeq, [id, [...drop]])).rowCount ?? 0);
      return {
        removedRows: (own.rowCount ?? 0) + dropped,
        keptRows: foreign.length - drop.size,
      };
    });
  }

  /** A logical export of the whole schema as of one moment (`postgresBackup.ts`). */
  async backup(destination: string): Promise<BackupResult> {
    await this.ready();
    return backupPostgres(this.pool, this.schema, this.connection.url, destination);
  }

  /**
   * Backs up a database without opening it as a store (no migration; the backup CLI): the
   * schema must hold syspat tables already.
   */
  static async backupDatabase(
    connection: PostgresConnection,
    destination: string,
  ): Promise<BackupResult> {
    const pool = createPostgresPool({ ...connection, poolSize: 1 });
    try {
      return await backupPostgres(pool, connection.schema ?? 'public', connection.url, destination);
    } finally {
      await pool.end();
    }
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      await this.query('SELECT 1', []);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
