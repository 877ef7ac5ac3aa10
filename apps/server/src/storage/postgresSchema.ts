import type pg from 'pg';

/**
 * The Postgres schema as an ordered list of steps; `syspat_migrations` holds one row per step
 * applied. A step is never edited once released: a change is a new step at the end. `%s` is the
 * quoted schema name (tables are always schema-qualified, so no connection depends on its
 * search_path, which poolers such as PgBouncer do not carry).
 */
const STEPS: readonly string[] = [
  // 1: documents with their per-document sequence counter, one snapshot each, and the log.
  // `last_seq` is bumped under the document's row lock inside each commit (see PostgresStorage);
  // `incarnation` (random per createDoc) tells a recreated id from the document it replaced, and
  // a snapshot's `generation` (random per write) tells which snapshot a load returned.
  `CREATE TABLE %s.docs (
     id text PRIMARY KEY,
     title text NOT NULL,
     created_at bigint NOT NULL,
     updated_at bigint NOT NULL,
     last_seq bigint NOT NULL DEFAULT 0,
     incarnation bigint NOT NULL
   );
   CREATE INDEX docs_updated_at ON %s.docs (updated_at DESC, id);
   CREATE TABLE %s.snapshots (
     doc_id text PRIMARY KEY REFERENCES %s.docs (id) ON DELETE CASCADE,
     data bytea NOT NULL,
     upto_seq bigint NOT NULL,
     writer bigint NOT NULL,
     generation bigint NOT NULL
   );
   CREATE TABLE %s.updates (
     doc_id text NOT NULL REFERENCES %s.docs (id) ON DELETE CASCADE,
     seq bigint NOT NULL,
     data bytea NOT NULL,
     writer bigint NOT NULL,
     PRIMARY KEY (doc_id, seq)
   );`,
];

export const POSTGRES_SCHEMA_VERSION = STEPS.length;

/** First key of every syspat advisory lock ('sysp'); the second is the schema's hash. */
export const ADVISORY_LOCK_CLASS = 0x73797370;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name quoted for SQL; refuses anything but a plain lower-case identifier. */
export function quoteSchema(schema: string): string {
  if (!IDENTIFIER.test(schema)) {
    throw new Error(
      `"${schema}" is not a usable Postgres schema name; use lower-case letters, digits and _ ` +
        '(at most 63, not starting with a digit), e.g. syspat.',
    );
  }
  return `"${schema}"`;
}

/** `text` with every `%s` replaced by the quoted schema. */
export function inSchema(schema: string, text: string): string {
  return text.replaceAll('%s', quoteSchema(schema));
}

/**
 * Brings `schema` to the current version. Runs in one transaction under a transaction-level
 * advisory lock keyed on the schema, so of several instances starting at once one migrates and
 * the others wait, then find nothing left to do; Postgres DDL is transactional, so a step that
 * fails leaves the schema as it was. A schema newer than this build is refused, never downgraded.
 */
export async function migratePostgres(client: pg.PoolClient, schema: string): Promise<number> {
  const s = quoteSchema(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      ADVISORY_LOCK_CLASS,
      schema,
    ]);
    // created only when missing: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even
    // when the schema exists, which an operator may have withheld
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.syspat_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>(
      `SELECT coalesce(max(version), 0)::integer AS version FROM ${s}.syspat_migrations`,
    );
    const version = rows[0]?.version ?? 0;
    if (version > POSTGRES_SCHEMA_VERSION) {
      throw new Error(
        `Postgres schema ${schema} has syspat schema version ${version}, newer than this server ` +
          `(${POSTGRES_SCHEMA_VERSION}); upgrade syspat, or point DATABASE_SCHEMA at another schema.`,
      );
    }
    for (let step = version; step < POSTGRES_SCHEMA_VERSION; step++) {
      await client.query(inSchema(schema, STEPS[step]!));
      await client.query(`INSERT INTO ${s}.syspat_migrations (version) VALUES ($1)`, [step + 1]);
    }
    await client.query('COMMIT');
    return POSTGRES_SCHEMA_VERSION - version;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
