import { restorePostgresBackup } from './postgresBackup.ts';
import { PostgresStorage } from './PostgresStorage.ts';
import {
  assertPostgresUp,
  dropSchemas,
  newTestSchema,
  testConnection,
} from './postgresTestSchema.ts';
import { describeStorageContract } from './storageContract.ts';

describeStorageContract('Postgres', async () => {
  await assertPostgresUp();
  const schema = newTestSchema();
  const schemas = [schema];
  return {
    open: () => Promise.resolve(new PostgresStorage(testConnection(schema))),
    openBackup: async (file: string) => {
      const copy = newTestSchema();
      schemas.push(copy);
      await restorePostgresBackup(file, testConnection(copy));
      return new PostgresStorage(testConnection(copy));
    },
    destroy: () => dropSchemas(schemas),
  };
});
