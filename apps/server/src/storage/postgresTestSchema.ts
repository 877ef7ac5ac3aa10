import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { PostgresConnection } from './postgresPool.ts';
import { quoteSchema } from './postgresSchema.ts';

/**
 * Test support: the Postgres server the tests use, and a schema of their own per run. The tests
 * never skip when the server is down; they fail with the way to start it.
 */
export const TEST_DATABASE_URL =
  process.env.SYSPAT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other run uses: `syspat_test_<pid>_<random>`. */
export const newTestSchema = (): string =>
  `syspat_test_${process.pid}_${randomBytes(4).toString('hex')}`;

export const testConnection = (schema: string): PostgresConnection => ({
  url: TEST_DATABASE_URL,
  schema,
  poolSize: 4,
});

/** Throws a message naming how to start Postgres when it does not answer. */
export async function assertPostgresUp(): Promise<void> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `Postgres does not answer at ${TEST_DATABASE_URL} (${(err as Error).message}). These tests ` +
        'never skip: start it with `bash .ci/run` (it starts Postgres when it is down) or ' +
        '`pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start`, make sure ' +
        'the database `test` exists (`createdb -h 127.0.0.1 -U postgres test`), or point ' +
        'SYSPAT_TEST_DATABASE_URL at another server.',
      { cause: err },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops the schemas and everything in them. */
export async function dropSchemas(schemas: Iterable<string>): Promise<void> {
  const names = [...schemas];
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const name of names)
      await client.query(`DROP SCHEMA IF EXISTS ${quoteSchema(name)} CASCADE`);
  } finally {
    await client.end();
  }
}
