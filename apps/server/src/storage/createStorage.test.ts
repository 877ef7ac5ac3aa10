import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { backupStorage, createStorage } from './createStorage.ts';
import { SqliteStorage } from './SqliteStorage.ts';
import { contractTempDir } from './storageContract.ts';

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

  it('refuses a Postgres DATABASE_URL this build cannot serve, saying how to fall back', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/syspat' });
    expect(config.storage.backend).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/syspat',
    });
    expect(() => createStorage(config)).toThrow(/no Postgres adapter yet.*unset DATABASE_URL/);
    await expect(backupStorage(config, '/tmp/never.sqlite')).rejects.toThrow(/unset DATABASE_URL/);
  });

  it('rejects a DATABASE_URL that is not a Postgres URL, naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/syspat' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/syspat' })).toThrow(
      /DATABASE_URL: .*postgres/,
    );
  });
});
