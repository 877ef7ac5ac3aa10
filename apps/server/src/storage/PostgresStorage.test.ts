import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WriterView, buildMeta, initialState, readStore } from './contractViews.ts';
import { restorePostgresBackup } from './postgresBackup.ts';
import { POSTGRES_SCHEMA_VERSION } from './postgresSchema.ts';
import { PostgresStorage } from './PostgresStorage.ts';
import {
  TEST_DATABASE_URL,
  assertPostgresUp,
  dropSchemas,
  newTestSchema,
  testConnection,
} from './postgresTestSchema.ts';
import { contractTempDir } from './storageContract.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('PostgresStorage', () => {
  const schemas: string[] = [];
  const opened: PostgresStorage[] = [];
  const dirs: string[] = [];
  const schema = () => {
    const name = newTestSchema();
    schemas.push(name);
    return name;
  };
  const open = (name: string) => {
    const storage = new PostgresStorage(testConnection(name));
    opened.push(storage);
    return storage;
  };
  const sql = async <R extends pg.QueryResultRow>(text: string): Promise<R[]> => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<R>(text)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(assertPostgresUp);
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
    await dropSchemas(schemas.splice(0));
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('three instances starting at once on a fresh schema migrate it once, and all serve it', async () => {
    const name = schema();
    const instances = [open(name), open(name), open(name)];
    await Promise.all(instances.map((s) => s.ready()));
    const applied = await sql<{ version: number }>(
      `SELECT version FROM "${name}".syspat_migrations ORDER BY version`,
    );
    expect(applied.map((r) => r.version)).toEqual(
      Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    await instances[0]!.createDoc(buildMeta(), initialState('x'));
    for (const instance of instances)
      expect((await instance.getDocMeta('doc1'))?.title).toBe('Doc');
  });

  it('two instances committing to one document at once draw unique, gap-free sequence numbers, and a reader never sees a later one before an earlier one', async () => {
    const name = schema();
    const [first, second] = [open(name), open(name)];
    await first.createDoc(buildMeta(), initialState(''));
    const reader = open(name);
    let reading = true;
    const holes: string[] = [];
    const watch = (async () => {
      while (reading) {
        const stored = await reader.loadDoc('doc1');
        // nothing is compacted here, so the rows seen must be exactly 1..lastSeq
        if (stored!.updates.length !== stored!.lastSeq)
          holes.push(`${stored!.updates.length} rows at seq ${stored!.lastSeq}`);
      }
    })();
    const commits = Array.from({ length: 60 }, (_, n) =>
      (n % 2 === 0 ? first : second).appendUpdates(
        [{ docId: 'doc1', updates: n % 3 === 0 ? [bytes(n), bytes(n)] : [bytes(n)] }],
        2000 + n,
      ),
    );
    const results = await Promise.all(commits);
    reading = false;
    await watch;
    const total = Array.from({ length: 60 }, (_, n): number => (n % 3 === 0 ? 2 : 1)).reduce(
      (a, b) => a + b,
    );
    const lastSeqs = results.map((r) => r.get('doc1')!);
    expect(new Set(lastSeqs).size).toBe(60);
    expect(Math.max(...lastSeqs)).toBe(total);
    const rows = await sql<{ seq: string }>(
      `SELECT seq FROM "${name}".updates WHERE doc_id = 'doc1' ORDER BY seq`,
    );
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(holes).toEqual([]);
  });

  it('refuses a schema newer than this build, naming the fix, and changes nothing', async () => {
    const name = schema();
    await open(name).ready();
    await sql(`INSERT INTO "${name}".syspat_migrations (version) VALUES (999)`);
    const newer = open(name);
    await expect(newer.listDocs()).rejects.toThrow(/version 999, newer than this server.*upgrade/);
    expect(await newer.ping()).toBe(false);
  });

  it('a server that does not answer fails each call with the URL to check and retries on the next (R38)', async () => {
    const down = new PostgresStorage({ url: 'postgres://postgres@127.0.0.1:1/test', schema: 'x' });
    opened.push(down);
    await expect(down.loadDoc('doc1')).rejects.toThrow(
      /127\.0\.0\.1:1\/test \(schema x\) is not usable.*DATABASE_URL/,
    );
    expect(await down.ping()).toBe(false);
    // not cached: the next call tries again (and fails again, the port stays closed)
    await expect(down.listDocs()).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a cut-off or altered backup restores nothing, and a restore never writes over documents (R50)', async () => {
    const name = schema();
    const storage = open(name);
    await storage.createDoc(buildMeta({ id: 'a' }), initialState('alpha'));
    await storage.appendUpdates([{ docId: 'a', updates: [initialState('!')] }], 3000);
    const dir = contractTempDir();
    dirs.push(dir);
    const file = path.join(dir, 'backup.jsonl');
    await storage.backup(file);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const cut = path.join(dir, 'cut.jsonl');
    fs.writeFileSync(cut, lines.slice(0, -2).join('\n'));
    const target = schema();
    await expect(restorePostgresBackup(cut, testConnection(target))).rejects.toThrow(/cut off/);
    const altered = path.join(dir, 'altered.jsonl');
    fs.writeFileSync(
      altered,
      lines.map((l, i) => (i === 1 ? l.replace('"id"', '"ID"') : l)).join('\n'),
    );
    await expect(restorePostgresBackup(altered, testConnection(target))).rejects.toThrow(
      /altered\.jsonl:2 is not a syspat Postgres backup line/,
    );
    expect(await open(target).listDocs()).toEqual([]);
    await expect(restorePostgresBackup(file, testConnection(name))).rejects.toThrow(
      /already holds documents/,
    );
    expect(await restorePostgresBackup(file, testConnection(target))).toEqual({ docs: 1 });
  });

  it('a document deleted and recreated under its id by another instance keeps the new rows when a stale view compacts (R43)', async () => {
    const name = schema();
    const [stale, other] = [open(name), open(name)];
    await other.createDoc(buildMeta(), initialState(''));
    const staleView = new WriterView(stale, 'doc1');
    const otherView = new WriterView(other, 'doc1');
    await otherView.load();
    await otherView.write('old one ');
    await otherView.write('old two ');
    await staleView.load();
    expect(await other.deleteDoc('doc1')).toBe(true);
    await other.createDoc(buildMeta(), initialState(''));
    const fresh = new WriterView(other, 'doc1');
    await fresh.load();
    await fresh.write('new one ');
    await fresh.write('new two ');
    // the stale view's numbers 1 and 2 are those of the new rows: they must not count as loaded
    expect(await staleView.compact()).toMatchObject({ keptRows: 2 });
    const { doc } = await readStore(other, 'doc1');
    expect(doc.getText('t').toJSON()).toContain('new one new two ');
  });
});
