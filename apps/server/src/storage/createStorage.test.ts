import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { backupStorage, createStorage } from './createStorage.ts';
import { PostgresStorage } from './PostgresStorage.ts';
import {
  TEST_DATABASE_URL,
  assertPostgresUp,
  dropSchemas,
  newTestSchema,
} from './postgresTestSchema.ts';
import { SqliteStorage } from './SqliteStorage.ts';
import { contractTempDir } from './storageContract.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('createStorage', () => {
  it('opens SQLite in DATA_DIR when no DATABASE_URL is set, and backs it up', async () => {
    const dir = contractTempDir();
    try {
      const config = loadConfig({ DATA_DIR: dir, SQLITE_SYNCHRONOUS: 'normal' });
      const storage = createStorage(config);
      expect(storage).toBeInstanceOf(SqliteStorage);
      expect((storage as SqliteStorage).file).toBe(path.join(dir, 'syspat.sqlite'));
      expect((storage as SqliteStorage).settings().synchronous).toBe(1);
      await storage.createDoc(
        { id: 'a', title: 'A', createdAt: 1, updatedAt: 1 },
        new Uint8Array([0, 0]),
      );
      const result = await backupStorage(config, path.join(dir, 'copy.sqlite'));
      expect(result).toMatchObject({ docs: 1, source: path.join(dir, 'syspat.sqlite') });
      expect(fs.existsSync(result.file)).toBe(true);
      await storage.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens Postgres when DATABASE_URL is set, in DATABASE_SCHEMA, and backs it up', async () => {
    await assertPostgresUp();
    const schema = newTestSchema();
    const dir = contractTempDir();
    const config = loadConfig({
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_SIZE: '3',
    });
    expect(config.storage.backend).toEqual({
      kind: 'postgres',
      url: TEST_DATABASE_URL,
      schema,
      poolSize: 3,
      ssl: 'off',
      sslCaFile: null,
    });
    const storage = createStorage(config);
    try {
      expect(storage).toBeInstanceOf(PostgresStorage);
      expect((storage as PostgresStorage).schema).toBe(schema);
      await storage.createDoc({ id: 'a', title: 'A', createdAt: 1, updatedAt: 1 }, bytes(0, 0));
      const result = await backupStorage(config, path.join(dir, 'copy.jsonl'));
      expect(result).toMatchObject({ docs: 1 });
      expect(result.source).toContain(`schema ${schema}`);
      expect(fs.existsSync(result.file)).toBe(true);
    } finally {
      await storage.close();
      await dropSchemas([schema]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to back up a Postgres schema that holds no syspat tables, naming the fix', async () => {
    await assertPostgresUp();
    const config = loadConfig({
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: newTestSchema(),
    });
    const dir = contractTempDir();
    try {
      await expect(backupStorage(config, path.join(dir, 'copy.jsonl'))).rejects.toThrow(
        /no syspat documents table.*DATABASE_SCHEMA/,
      );
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a DATABASE_URL that is not a Postgres URL, naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/syspat' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/syspat' })).toThrow(
      /DATABASE_URL: .*postgres/,
    );
  });
});
