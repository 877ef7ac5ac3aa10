// Turns bench/results/latest.json into a markdown summary with each goal beside its figure:
// bench/results/summary.md (written by `pnpm bench`), the source of docs/benchmarks.md.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const get = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Json)[k] : undefined),
    value,
  );
const num = (value: unknown, digits = 1): string =>
  typeof value === 'number' ? value.toFixed(digits) : '–';
const str = (value: unknown, fallback: string): string =>
  typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number'
    ? String(value)
    : fallback;
const mark = (ok: boolean | undefined): string => (ok === undefined ? '' : ok ? '✓' : '✗');

function codecSection(codec: unknown): string[] {
  const rows = get(codec, 'rows');
  if (!Array.isArray(rows)) return [];
  const goals = (get(codec, 'goals') ?? {}) as Record<string, boolean>;
  return [
    '## Markdown codec',
    '',
    '| components | markdown KB | export ms | import ms |',
    '|---:|---:|---:|---:|',
    ...rows.map(
      (r: unknown) =>
        `| ${num(get(r, 'components'), 0)} | ${num(Number(get(r, 'bytes')) / 1024, 0)} | ${num(get(r, 'exportMs'), 2)} | ${num(get(r, 'importMs'), 1)} |`,
    ),
    '',
    ...Object.entries(goals).map(([goal, ok]) => `- ${mark(ok)} ${goal}`),
    '',
  ];
}

/** Ratios are syspat / reference; lower is better except for throughput. */
function serverSection(server: unknown): string[] {
  const ratios = get(server, 'ratios') as Record<string, number> | undefined;
  if (!ratios) return [];
  const higherIsBetter = (name: string) => name.startsWith('max edits/s');
  const p99At200 = (child: string) =>
    get(server, child, 'fanout', '200', 'p99') as number | undefined;
  const sendFirst = get(server, 'syspatSendFirst') !== undefined;
  const stall = (which: 'coldLoad' | 'warmSync') =>
    get(server, 'syspat', which, 'otherRoomMaxLatencyMs') as number | undefined;
  const fanoutGoal = (child: string, label: string) => {
    const p99 = p99At200(child);
    return `- ${mark(p99 !== undefined && p99 < 10)} fan-out p99 at 200 clients${label} < 10 ms: ${num(p99, 2)} ms`;
  };
  const stallGoal = (which: 'coldLoad' | 'warmSync', what: string) => {
    const ms = stall(which);
    return `- ${mark(ms !== undefined && ms < 20)} stall in another room while ${what} < 20 ms: ${num(ms, 1)} ms`;
  };
  const content = (which: 'coldLoad' | 'warmSync') =>
    str(get(server, 'syspat', which, 'contentInFirstReply'), '–');
  const hasWarm = get(server, 'syspat', 'warmSync') !== undefined;
  return [
    '## Server: syspat (SQLite, commit before fan-out) against @y/websocket-server (no storage)',
    '',
    ...(sendFirst
      ? [
          'Rows marked "send-first" are a second syspat with `FANOUT_ORDER=send-first` (others receive an update at once; it is committed in the same event-loop turn, then acknowledged to its sender), in the fan-out and max-rate sections only.',
          '',
        ]
      : []),
    '| measure | ratio syspat / reference | goal |',
    '|---|---:|:---:|',
    ...Object.entries(ratios).map(
      ([name, ratio]) =>
        `| ${name} | ${num(ratio, 2)} | ${mark(higherIsBetter(name) ? ratio >= 1 : ratio <= 1)} |`,
    ),
    '',
    fanoutGoal('syspat', ''),
    ...(sendFirst ? [fanoutGoal('syspatSendFirst', ', send-first')] : []),
    stallGoal('coldLoad', 'a 10,000-entry document loads (cold)'),
    ...(hasWarm
      ? [stallGoal('warmSync', 'a new client syncs the loaded 10,000-entry document (warm)')]
      : []),
    `- content in the first sync reply: ${hasWarm ? `cold ${content('coldLoad')}, warm ${content('warmSync')}` : content('coldLoad')}`,
    '',
  ];
}

function webSection(web: unknown): string[] {
  const tti = get(web, 'ttiMs') as number | undefined;
  const gzip = get(web, 'editorRouteGzipBytes') as number | undefined;
  if (tti === undefined) return [];
  return [
    '## Web app (headless Chromium)',
    '',
    `- ${mark(tti < 1500)} time to interactive, ${num(get(web, 'components'), 0)} components and ${num(get(web, 'rows'), 0)} rows: ${num(tti, 0)} ms (aim < 1,500 ms)`,
    `- ${mark(gzip !== undefined && gzip < 300 * 1024)} editor route, gzip: ${num((gzip ?? 0) / 1024, 1)} KiB (aim < 300 KiB)`,
    '',
  ];
}

export function summarize(results: Json): string {
  return [
    '# Benchmarks',
    '',
    `Run with \`pnpm bench\` on ${str(results['startedAt'], 'an unknown date')}, Node ${str(results['node'], '?')}, 2 cores.`,
    'Each benchmark prints its full table; raw figures are in `bench/results/latest.json`.',
    '',
    ...codecSection(results['codec']),
    ...serverSection(results['server']),
    ...webSection(results['web']),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const results = JSON.parse(
    readFileSync(path.join(root, 'bench/results/latest.json'), 'utf8'),
  ) as Json;
  const markdown = summarize(results);
  writeFileSync(path.join(root, 'bench/results/summary.md'), markdown);
  process.stdout.write(markdown);
}
