/**
 * Server bench: syspat (SQLite persistence on; a second syspat with FANOUT_ORDER=send-first in
 * the fan-out and max-rate sections) against the reference @y/websocket-server, same load, same
 * run. `tsx bench/server.bench.ts [--flush-window-ms N]`; writes
 * bench/results/server.json. The implementation lives beside the server
 * (apps/server/test/bench) so that its dependencies resolve from the server package.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runServerBench } from '../apps/server/test/bench/serverBench.ts';

const argv = process.argv.slice(2);
const windowIndex = argv.indexOf('--flush-window-ms');
const flushWindowMs = windowIndex >= 0 ? Number(argv[windowIndex + 1]) : 0;

await runServerBench({
  resultsFile: path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'server.json'),
  flushWindowMs,
});
