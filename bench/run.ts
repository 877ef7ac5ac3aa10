// `pnpm bench`: runs every benchmark of the project one after another (never in parallel: they
// would skew each other's figures on a 2-core machine) and merges their results into
// bench/results/latest.json. Each benchmark prints its own table and goals.
// `pnpm bench codec server` runs only those.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './summary.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benches = [
  { name: 'codec', file: 'bench/codec.bench.ts' },
  { name: 'ydoc', file: 'packages/ydoc/bench/ydoc.bench.ts' },
  { name: 'server', file: 'bench/server.bench.ts' },
  { name: 'web', file: 'apps/web/bench/web.bench.ts' },
].filter((b) => existsSync(path.join(root, b.file)));
const only = process.argv.slice(2);
const selected = benches.filter((b) => only.length === 0 || only.includes(b.name));

function parseJson(line: string | undefined): unknown {
  try {
    return line ? (JSON.parse(line) as unknown) : null;
  } catch {
    return null;
  }
}

/** Runs one benchmark, echoing its output; resolves with its exit code and its last JSON line. */
function run(file: string): Promise<{ code: number | null; lastJson: unknown }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, file)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-200_000);
    });
    child.on('close', (code) => {
      const lastLine = tail
        .trim()
        .split('\n')
        .reverse()
        .find((line) => line.trim().startsWith('{'));
      resolve({ code, lastJson: parseJson(lastLine) });
    });
  });
}

const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  node: process.version,
};
let failed = 0;
for (const bench of selected) {
  console.log(`\n=== ${bench.name} (${bench.file}) ===`);
  const started = Date.now();
  const { code, lastJson } = await run(bench.file);
  console.log(`(${bench.name}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (code !== 0) {
    failed += 1;
    console.error(`${bench.name} failed with exit code ${code}`);
    continue;
  }
  const file = path.join(root, 'bench/results', `${bench.name}.json`);
  results[bench.name] = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as unknown)
    : lastJson;
}
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench/results/latest.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
const summary = summarize(results);
writeFileSync(path.join(root, 'bench/results/summary.md'), summary);
console.log(`\n${summary}`);
console.log(
  `\nResults: bench/results/latest.json (${selected.length - failed} of ${selected.length} benchmarks ran)`,
);
process.exitCode = failed > 0 ? 1 : 0;
