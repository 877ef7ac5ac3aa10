import fs from 'node:fs';
import path from 'node:path';
import { SqliteStorage } from './SqliteStorage.ts';
import { contractTempDir, describeStorageContract } from './storageContract.ts';

describeStorageContract('SQLite', () => {
  const dir = contractTempDir();
  return Promise.resolve({
    open: () => Promise.resolve(new SqliteStorage(dir)),
    openBackup: (file: string) =>
      Promise.resolve(new SqliteStorage(path.dirname(file), { fileName: path.basename(file) })),
    destroy: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
  });
});
