import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the web app, starts `apps/server` on a free port with a temporary DATA_DIR, waits for
 * /api/health, and hands the address to the tests in SYSPAT_BASE_URL. Returns the teardown.
 * Set SYSPAT_E2E_SKIP_BUILD=1 to reuse an existing apps/web/dist.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function build(): void {
  const vite = path.join(root, 'apps/web/node_modules/.bin/vite');
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], {
    cwd: path.join(root, 'apps/web'),
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`web build failed (exit ${String(result.status)})`);
}

async function waitForHealth(
  url: string,
  server: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`server exited with ${server.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server did not become healthy in 60 s:\n${output()}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (
    process.env.SYSPAT_E2E_SKIP_BUILD !== '1' ||
    !existsSync(path.join(root, 'apps/web/dist/index.html'))
  )
    build();
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'syspat-e2e-'));
  const tsx = path.join(root, 'node_modules/.bin/tsx');
  let log = '';
  const server = spawn(tsx, [path.join(root, 'apps/server/src/main.ts')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      WEB_DIST_DIR: path.join(root, 'apps/web/dist'),
      // every test opens several sockets and requests from 127.0.0.1
      WS_CONNECTS_PER_MINUTE: '100000',
      MAX_CONNECTIONS_PER_IP: '10000',
      REST_REQUESTS_PER_MINUTE: '1000000',
      WS_MESSAGES_PER_SECOND: '10000',
      WS_MESSAGE_BURST: '100000',
    },
  });
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  server.stdout?.on('data', collect);
  server.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null && server.pid !== undefined) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (server.exitCode === null) {
        try {
          process.kill(-server.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, server, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  process.env.SYSPAT_BASE_URL = url;
  return stop;
}
