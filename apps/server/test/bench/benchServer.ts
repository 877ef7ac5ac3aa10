import fs from 'node:fs';
import http from 'node:http';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/**
 * Child process of the server bench: runs one server (syspat or the reference
 * `@y/websocket-server`) and answers the parent over IPC with its port, memory (after a forced
 * GC) and event-loop stalls. Each server gets a process of its own so that memory is its own.
 *
 * argv: `syspat <dataDir> <flushWindowMs> [fanoutOrder]` or `reference <bigDocFile>`.
 * fanoutOrder is syspat's FANOUT_ORDER: `commit-first` (the default) or `send-first`.
 */

type Request = { type: 'mem' } | { type: 'lagStart' } | { type: 'lagStop' } | { type: 'stop' };

const [kind, arg1, arg2, arg3] = process.argv.slice(2);
const send = (message: object) => process.send?.(message);
const gc = (globalThis as { gc?: () => void }).gc;

async function startSyspat(dataDir: string, flushWindowMs: string, fanoutOrder: string) {
  const { buildApp, loadConfig } = await import('../../src/index.ts');
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    WEB_DIST_DIR: path.join(dataDir, 'no-web'),
    FLUSH_WINDOW_MS: flushWindowMs,
    // a server that does not know this variable yet ignores it (and runs commit-first)
    FANOUT_ORDER: fanoutOrder,
    UNLOAD_DELAY_MS: '0',
    // the bench measures the sync path, not the abuse limits
    MAX_CLIENTS_PER_DOC: '10000',
    MAX_CONNECTIONS_PER_IP: '100000',
    WS_CONNECTS_PER_MINUTE: '1000000',
    WS_MESSAGES_PER_SECOND: '1000000',
    WS_MESSAGE_BURST: '1000000',
    WS_BYTES_PER_SECOND: String(1024 * 1024 * 1024),
    WS_MAX_MESSAGE_BYTES: String(64 * 1024 * 1024),
    REST_REQUESTS_PER_MINUTE: '100000000',
  });
  const app = await buildApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  app.collab.warmUp(); // as the production entry (main.ts) does
  const address = app.server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    stop: () => app.close(),
    // whether the parsed config carries the fan-out order at all (false: the server does not
    // know FANOUT_ORDER yet, so every syspat child runs its default)
    fanoutOrderInConfig: /fanout.?order|send-first|commit-first/i.test(JSON.stringify(config)),
  };
}

async function startReference(bigDocFile: string) {
  // @y/websocket-server 0.1.5 declares yjs 14.0.0-16, but its @y/protocols runs on @y/y
  // 14.0.0-rc.7, and the two crash on every update ("store.getClock is not a function").
  // Point its `yjs` import at the @y/y its protocols use, so the reference runs as intended.
  const require = createRequire(import.meta.url);
  const utilsCjs = require.resolve('@y/websocket-server/utils');
  const pkgDir = utilsCjs.slice(
    0,
    utilsCjs.lastIndexOf('websocket-server') + 'websocket-server'.length,
  );
  const syncPath = createRequire(path.join(pkgDir, 'package.json')).resolve('@y/protocols/sync');
  const yUrl = pathToFileURL(createRequire(syncPath).resolve('@y/y')).href;
  const hook = `export async function resolve(specifier, context, next) {
    if (specifier === 'yjs' && context.parentURL !== undefined && context.parentURL.includes('websocket-server')) {
      return { url: ${JSON.stringify(yUrl)}, shortCircuit: true };
    }
    return next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  const Y = (await import(yUrl)) as { applyUpdate: (doc: unknown, update: Uint8Array) => void };
  const utils = (await import(pathToFileURL(path.join(pkgDir, 'src/utils.js')).href)) as {
    setupWSConnection: (
      conn: unknown,
      req: http.IncomingMessage,
      opts?: { docName?: string },
    ) => void;
    setContentInitializor: (f: (doc: { name: string }) => Promise<void>) => void;
  };
  const { WebSocketServer } = await import('ws');
  const bigDoc = new Uint8Array(fs.readFileSync(bigDocFile));
  // "Loading" a document for the reference = applying the same bytes syspat reads from disk.
  utils.setContentInitializor((doc) => {
    if (doc.name.startsWith('big-')) Y.applyUpdate(doc, bigDoc);
    return Promise.resolve();
  });
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (conn, req) => utils.setupWSConnection(conn, req));
  const server = http.createServer((_req, res) => res.end('okay'));
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

async function main() {
  const server =
    kind === 'syspat'
      ? await startSyspat(arg1!, arg2 ?? '0', arg3 ?? 'commit-first')
      : await startReference(arg1!);
  let lag = monitorEventLoopDelay({ resolution: 1 });
  process.on('message', (message: Request) => {
    switch (message.type) {
      case 'mem': {
        gc?.();
        gc?.();
        const m = process.memoryUsage();
        send({
          type: 'mem',
          heapUsed: m.heapUsed,
          external: m.external,
          rss: m.rss,
          arrayBuffers: m.arrayBuffers,
        });
        return;
      }
      case 'lagStart':
        lag.disable();
        lag = monitorEventLoopDelay({ resolution: 1 });
        lag.enable();
        send({ type: 'lagStarted' });
        return;
      case 'lagStop':
        lag.disable();
        send({ type: 'lag', maxMs: lag.max / 1e6 });
        return;
      case 'stop':
        void server.stop().then(() => process.exit(0));
        return;
    }
  });
  send({
    type: 'ready',
    port: server.port,
    fanoutOrderInConfig: 'fanoutOrderInConfig' in server ? server.fanoutOrderInConfig : undefined,
  });
}

void main();
