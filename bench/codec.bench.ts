// Codec timings: markdown → model (import) and model → canonical markdown (export) for
// generated documents of 50, 500 and 2,000 components. Run: pnpm bench (or tsx this file).
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  createDocument,
  createCard,
  sequentialIds,
  type Card,
  type SyspatDocument,
} from '@syspat/model';
import { parseMarkdown, printMarkdown } from '@syspat/markdown';
import { systemPatternsTemplate, type CardsBlockSpec } from '@syspat/template';

function generate(components: number): SyspatDocument {
  const ids = sequentialIds('b');
  const doc = createDocument(systemPatternsTemplate, ids);
  const spec = systemPatternsTemplate.sections.find((s) => s.id === 'components')
    ?.blocks[0] as CardsBlockSpec;
  const cards: Card[] = Array.from({ length: components }, (_, i) => ({
    ...createCard(spec, ids),
    title: `Service ${i}`,
    fields: {
      purpose: `Handles the \`${i}\` workload for **tenant ${i % 17}** with [docs](https://example.com/${i})`,
      responsibilities: 'Validation, persistence, events',
      technology: 'TypeScript, Fastify, Postgres',
      interfaces: `REST \`/v1/s${i}\`, events \`s${i}.changed\``,
      location: `services/s${i}/`,
    },
  }));
  const section = doc.sections['components'];
  if (!section) throw new Error('the template has a components section');
  const blocks = { cards: { kind: 'cards' as const, cards } };
  return { ...doc, sections: { ...doc.sections, components: { ...section, blocks } } };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function time(fn: () => unknown, runs: number): number {
  for (let i = 0; i < 3; i += 1) fn(); // warm-up: JIT and caches
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const rows = [50, 500, 2000].map((components) => {
  const doc = generate(components);
  const markdown = printMarkdown(doc);
  const runs = components >= 2000 ? 7 : 15;
  return {
    components,
    bytes: markdown.length,
    exportMs: time(() => printMarkdown(doc), runs),
    importMs: time(() => parseMarkdown(markdown), runs),
  };
});

const at500 = rows.find((r) => r.components === 500);
const at2000 = rows.find((r) => r.components === 2000);
const goals = {
  'export of 500 < 30 ms': (at500?.exportMs ?? Infinity) < 30,
  'import of 500 < 100 ms': (at500?.importMs ?? Infinity) < 100,
  // Linear: 4x the components should cost well under 8x the time.
  'linear growth 500 → 2,000 (< 8x for 4x)':
    at500 && at2000
      ? at2000.importMs / at500.importMs < 8 && at2000.exportMs / at500.exportMs < 8
      : false,
};

console.log('\nCodec (median ms)');
console.table(
  rows.map((r) => ({
    components: r.components,
    'markdown KB': (r.bytes / 1024).toFixed(0),
    'export ms': r.exportMs.toFixed(2),
    'import ms': r.importMs.toFixed(2),
  })),
);
for (const [goal, ok] of Object.entries(goals)) console.log(`${ok ? '✓' : '✗'} ${goal}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/codec.json', `${JSON.stringify({ rows, goals }, null, 2)}\n`);
