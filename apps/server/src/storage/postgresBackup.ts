import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type pg from 'pg';
import { z } from 'zod';
import { createPostgresPool, describeServer, type PostgresConnection } from './postgresPool.ts';
import { inSchema, migratePostgres, POSTGRES_SCHEMA_VERSION } from './postgresSchema.ts';
import type { BackupResult } from './Storage.ts';

/**
 * Postgres backups as a logical export: one JSON line per document (metadata, snapshot, log,
 * with their sequence numbers and writers), between a header and an end line that says how many
 * documents came before it, so a cut-off file is refused on restore rather than half restored.
 *
 * Why not "use pg_dump": the backup CLI and the storage contract then work the same on both
 * backends, the syspat image needs no client tools of the server's major version, and a
 * restore goes into any empty schema (a test schema, a new server). pg_dump remains the
 * operator's tool for whole-database backups (docs/operator-guide.md).
 */
const FORMAT = 'syspat-postgres-backup';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
const count = z.number().int().nonnegative();

const headerLine = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  schemaVersion: z.number().int().min(1).max(POSTGRES_SCHEMA_VERSION),
});
const docLine = z.object({
  id: z.string().min(1),
  title: z.string(),
  createdAt: count,
  updatedAt: count,
  lastSeq: count,
  incarnation: count,
  snapshot: z.object({ data: base64, uptoSeq: count, writer: count, generation: count }).nullable(),
  updates: z.array(z.object({ seq: count, data: base64, writer: count })),
});
const endLine = z.object({ end: z.literal(true), docs: count });
type DocLine = z.infer<typeof docLine>;

/**
 * Writes the schema's documents to `destination` (a new file) from one REPEATABLE READ
 * snapshot, so the copy holds every commit made before the backup began and none after, while
 * writers go on. It is written to a temporary file beside the destination, synced, and renamed
 * into place only when complete.
 */
export async function backupPostgres(
  pool: pg.Pool,
  schema: string,
  url: string,
  destination: string,
): Promise<BackupResult> {
  const started = Date.now();
  const file = path.resolve(destination);
  if (fs.existsSync(file)) throw new Error(`${file} exists; choose a new backup file name.`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.partial-${process.pid}`;
  const q = (text: string) => inSchema(schema, text);
  const client = await pool.connect();
  let out: fs.promises.FileHandle | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const docs = await client
      .query<{ id: string; title: string; c: string; u: string; s: string; i: string }>(
        q(
          'SELECT id, title, created_at c, updated_at u, last_seq s, incarnation i ' +
            'FROM %s.docs ORDER BY id',
        ),
      )
      .catch((err: Error) => {
        throw new Error(
          `${describeServer(url, schema)} holds no syspat documents table (${err.message}); ` +
            'check DATABASE_URL and DATABASE_SCHEMA, or start syspat once to create it.',
        );
      });
    out = await fs.promises.open(temp, 'w');
    await out.write(
      `${JSON.stringify({ format: FORMAT, version: 1, schemaVersion: POSTGRES_SCHEMA_VERSION })}\n`,
    );
    for (const doc of docs.rows) {
      const snap = (
        await client.query<{ data: Buffer; upto_seq: string; writer: string; generation: string }>(
          q('SELECT data, upto_seq, writer, generation FROM %s.snapshots WHERE doc_id = $1'),
          [doc.id],
        )
      ).rows[0];
      const updates = await client.query<{ seq: string; data: Buffer; writer: string }>(
        q('SELECT seq, data, writer FROM %s.updates WHERE doc_id = $1 ORDER BY seq'),
        [doc.id],
      );
      const line: DocLine = {
        id: doc.id,
        title: doc.title,
        createdAt: Number(doc.c),
        updatedAt: Number(doc.u),
        lastSeq: Number(doc.s),
        incarnation: Number(doc.i),
        snapshot:
          snap === undefined
            ? null
            : {
                data: snap.data.toString('base64'),
                uptoSeq: Number(snap.upto_seq),
                writer: Number(snap.writer),
                generation: Number(snap.generation),
              },
        updates: updates.rows.map((row) => ({
          seq: Number(row.seq),
          data: row.data.toString('base64'),
          writer: Number(row.writer),
        })),
      };
      await out.write(`${JSON.stringify(line)}\n`);
    }
    await out.write(`${JSON.stringify({ end: true, docs: docs.rows.length })}\n`);
    await out.sync();
    await out.close();
    out = undefined;
    await client.query('COMMIT');
    fs.renameSync(temp, file);
    return {
      source: describeServer(url, schema),
      file,
      bytes: fs.statSync(file).size,
      docs: docs.rows.length,
      ms: Date.now() - started,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    await out?.close().catch(() => undefined);
    fs.rmSync(temp, { force: true });
    throw err;
  } finally {
    client.release();
  }
}

/** Parses one line of a backup file, naming the line when it does not fit. */
function parseLine<T>(schema: z.ZodType<T>, text: string, lineNo: number, file: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file}:${lineNo} is not JSON; the backup is damaged. Restore another one.`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new Error(
      `${file}:${lineNo} is not a syspat Postgres backup line (${z.prettifyError(result.error)}); ` +
        'restore a file written by `pnpm backup` with DATABASE_URL set.',
    );
  }
  return result.data;
}

/**
 * Restores a backup into `connection`'s schema, which must hold no documents (it is created
 * and migrated when missing). All of it goes in one transaction: a damaged or cut-off file
 * restores nothing.
 */
export async function restorePostgresBackup(
  file: string,
  connection: PostgresConnection,
): Promise<{ docs: number }> {
  const schema = connection.schema ?? 'public';
  const q = (text: string) => inSchema(schema, text);
  const pool = createPostgresPool({ ...connection, poolSize: 1 });
  const client = await pool.connect();
  try {
    await migratePostgres(client, schema);
    await client.query('BEGIN');
    const existing = await client.query(q('SELECT 1 FROM %s.docs LIMIT 1'));
    if (existing.rowCount !== 0) {
      throw new Error(
        `${describeServer(connection.url, schema)} already holds documents; restore into an ` +
          'empty schema (set DATABASE_SCHEMA to a new name) so nothing is overwritten.',
      );
    }
    const lines = readline.createInterface({
      input: fs.createReadStream(file),
      crlfDelay: Infinity,
    });
    let lineNo = 0;
    let docs = 0;
    let ended = false;
    for await (const text of lines) {
      lineNo += 1;
      if (lineNo === 1) {
        parseLine(headerLine, text, lineNo, file);
        continue;
      }
      if (ended) throw new Error(`${file}:${lineNo} follows the end line; the backup is damaged.`);
      if (text.startsWith('{"end"')) {
        const end = parseLine(endLine, text, lineNo, file);
        if (end.docs !== docs) {
          throw new Error(`${file} says ${end.docs} documents but holds ${docs}; it is damaged.`);
        }
        ended = true;
        continue;
      }
      const doc = parseLine(docLine, text, lineNo, file);
      await client.query(
        q(
          'INSERT INTO %s.docs (id, title, created_at, updated_at, last_seq, incarnation) ' +
            'VALUES ($1, $2, $3, $4, $5, $6)',
        ),
        [doc.id, doc.title, doc.createdAt, doc.updatedAt, doc.lastSeq, doc.incarnation],
      );
      if (doc.snapshot !== null) {
        await client.query(
          q(
            'INSERT INTO %s.snapshots (doc_id, data, upto_seq, writer, generation) ' +
              'VALUES ($1, $2, $3, $4, $5)',
          ),
          [
            doc.id,
            Buffer.from(doc.snapshot.data, 'base64'),
            doc.snapshot.uptoSeq,
            doc.snapshot.writer,
            doc.snapshot.generation,
          ],
        );
      }
      if (doc.updates.length > 0) {
        await client.query(
          q(
            'INSERT INTO %s.updates (doc_id, seq, data, writer) ' +
              'SELECT $1, u.seq, u.data, u.writer ' +
              'FROM unnest($2::bigint[], $3::bytea[], $4::bigint[]) AS u(seq, data, writer)',
          ),
          [
            doc.id,
            doc.updates.map((u) => u.seq),
            doc.updates.map((u) => Buffer.from(u.data, 'base64')),
            doc.updates.map((u) => u.writer),
          ],
        );
      }
      docs += 1;
    }
    if (!ended)
      throw new Error(`${file} ends before its end line; it is cut off. Nothing was restored.`);
    await client.query('COMMIT');
    return { docs };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
    await pool.end();
  }
}
