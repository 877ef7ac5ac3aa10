import path from 'node:path';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { backupStorage } from './storage/createStorage.ts';

/**
 * `pnpm --filter @syspat/server backup -- DEST`: an online, consistent copy of
 * `DATA_DIR/syspat.sqlite` while the server keeps running (WAL lets a reader take a snapshot
 * without blocking writers). DEST is relative to the directory pnpm was started from. Restore:
 * stop syspat, replace `DATA_DIR/syspat.sqlite` with the copy (removing stale `-wal`/`-shm`
 * files), start syspat.
 */
async function main(argv: readonly string[]): Promise<number> {
  const args = argv.filter((arg) => arg !== '--');
  if (args.length !== 1 || args[0] === '-h' || args[0] === '--help') {
    process.stderr.write('usage: pnpm --filter @syspat/server backup -- DEST.sqlite\n');
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  // pnpm runs scripts in the package directory; INIT_CWD is where the operator typed the command
  const base = process.env.INIT_CWD ?? process.cwd();
  const destination = path.resolve(base, args[0]!);
  const result = await backupStorage(config, destination);
  process.stdout.write(`${JSON.stringify({ msg: 'backup complete', ...result })}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
