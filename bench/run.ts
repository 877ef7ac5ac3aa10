// `pnpm bench`: runs every benchmark of the project one after another (never in parallel: they
// would skew each other's figures on a 2-core machine), then merges their results into
// bench/results/latest.json. Each benchmark prints its own table and goals.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  node: process.version,
};
let failed = 0;
for (const bench of benches) {
  const name = bench.replace(/\.bench\.ts$/, '');
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, bench)], {
    cwd: path.resolve(here, '..'),
    stdio: 'inherit',
  });
  console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (run.status !== 0) {
    failed += 1;
    console.error(`${name} failed with exit code ${run.status ?? run.signal}`);
    continue;
  }
  const file = path.join(here, 'results', `${name}.json`);
  if (existsSync(file)) results[name] = JSON.parse(readFileSync(file, 'utf8')) as unknown;
}
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `\nResults: bench/results/latest.json (${benches.length - failed} of ${benches.length} benchmarks ran)`,
);
process.exitCode = failed > 0 ? 1 : 0;
