/**
 * `tsx apps/web/bench/web.bench.ts [components] [rows]`: in headless Chromium, the time to
 * interactive of a document with 200 component cards and 200 storage rows (unless told), served
 * by the real server from the production build, and the gzip size of the editor route (the
 * entry chunk, the editor chunk and everything they import statically, plus CSS).
 *
 * Time to interactive: from navigation start until the document is on screen, synced with the
 * server, and a keystroke typed into the first component's title is in the Y.Doc and the field.
 * Prints a table and, last, one JSON line. Env: CHROMIUM_PATH (default /usr/bin/chromium),
 * SYSPAT_BENCH_SKIP_BUILD=1 to reuse apps/web/dist.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { printMarkdown } from '@syspat/markdown';
import { createDocument, createRow, type Card, type SyspatDocument } from '@syspat/model';

const components = Number(process.argv[2] ?? 200);
const rows = Number(process.argv[3] ?? 200);
const runs = 5;
const webDir = fileURLToPath(new URL('..', import.meta.url));
const root = path.resolve(webDir, '../..');
const dist = path.join(webDir, 'dist');

function largeDocument(): SyspatDocument {
  const doc = createDocument();
  const cards: Card[] = Array.from({ length: components }, (_, i) => ({
    id: `c${i}`,
    title: `Service ${i + 1}`,
    notes: '',
    fields: {
      purpose: `Handles part ${i + 1} of the request flow`,
      responsibilities: 'Validation, persistence, events',
      technology: 'TypeScript, Fastify',
      interfaces: `REST /api/part-${i + 1}`,
      location: `services/part-${i + 1}`,
    },
    extraFields: [],
    steps: null,
  }));
  const sections = { ...doc.sections };
  const componentsSection = sections['components'];
  const dataSection = sections['data'];
  if (!componentsSection || !dataSection) throw new Error('template lacks components or data');
  sections['components'] = {
    ...componentsSection,
    blocks: { ...componentsSection.blocks, cards: { kind: 'cards', cards } },
  };
  sections['data'] = {
    ...dataSection,
    blocks: {
      ...dataSection.blocks,
      storage: {
        kind: 'table',
        notes: '',
        table: {
          extraColumns: [],
          rows: Array.from({ length: rows }, (_, i) => ({
            ...createRow(),
            cells: {
              dataType: `Entity ${i + 1}`,
              storage: 'Postgres',
              rationale: 'Relational',
              retention: '1 year',
            },
          })),
        },
      },
    },
  };
  return { ...doc, sections };
}

/** gzip bytes of the editor route: entry + editor chunk + their static imports + CSS. */
function editorRouteSize(): { files: number; raw: number; gzip: number } {
  const manifest = JSON.parse(
    readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'),
  ) as Record<string, { file: string; imports?: string[]; css?: string[]; isEntry?: boolean }>;
  const seen = new Set<string>();
  const files = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (chunk === undefined) throw new Error(`manifest has no ${key}`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit('index.html');
  visit('src/editor/DocumentPage.tsx');
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(path.join(dist, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: files.size, raw, gzip };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  if (
    process.env.SYSPAT_BENCH_SKIP_BUILD !== '1' ||
    !existsSync(path.join(dist, '.vite/manifest.json'))
  ) {
    const build = spawnSync(
      path.join(webDir, 'node_modules/.bin/vite'),
      ['build', '--logLevel', 'warn'],
      { cwd: webDir, stdio: 'inherit' },
    );
    if (build.status !== 0) throw new Error('web build failed');
  }
  const size = editorRouteSize();

  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'syspat-bench-'));
  const server = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    [path.join(root, 'apps/server/src/main.ts')],
    {
      cwd: root,
      detached: true,
      stdio: 'ignore',
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        WEB_DIST_DIR: dist,
        WS_CONNECTS_PER_MINUTE: '100000',
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        // not up yet
      }
      if (i > 300) throw new Error('server did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const markdown = printMarkdown(largeDocument());
    const created = await fetch(`${base}/api/docs?title=bench`, {
      method: 'POST',
      headers: { 'content-type': 'text/markdown' },
      body: markdown,
    });
    const { id } = (await created.json()) as { id: string };

    const samples: number[] = [];
    for (let run = 0; run < runs; run++) {
      // a new context each run: no IndexedDB copy, everything comes from the server
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript(() =>
        localStorage.setItem(
          'syspat.identity',
          JSON.stringify({ name: 'Bench', color: '#3e63dd' }),
        ),
      );
      const page = await context.newPage();
      await page.goto(`${base}/d/${id}`);
      await page.locator('[data-status="connected"]').waitFor({ timeout: 30_000 });
      const title = page.locator('#section-components article.card .card__title textarea').first();
      await title.waitFor({ timeout: 30_000 });
      await title.click();
      await page.keyboard.type('!');
      await page.waitForFunction(() => {
        const field = document.querySelector<HTMLTextAreaElement>(
          '#section-components article.card .card__title textarea',
        );
        return field?.value.endsWith('!') === true;
      });
      samples.push(await page.evaluate(() => performance.now()));
      if (process.env.SYSPAT_BENCH_MARKS === '1') {
        console.log(
          await page.evaluate(() =>
            JSON.stringify({
              domContentLoaded: Math.round(
                (performance.getEntriesByType('navigation') as PerformanceNavigationTiming[])[0]
                  ?.domContentLoadedEventEnd ?? 0,
              ),
              marks: performance
                .getEntriesByType('mark')
                .map((m) => [m.name, Math.round(m.startTime)]),
              chunks: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map(
                (r) => [
                  r.name.split('/').pop(),
                  Math.round(r.startTime),
                  Math.round(r.responseEnd),
                ],
              ),
            }),
          ),
        );
      }
      await context.close();
    }
    const tti = median(samples);
    const rows_ = [
      [
        'document',
        `${components} components, ${rows} rows, ${(markdown.length / 1024).toFixed(0)} KiB markdown`,
      ],
      [
        'time to interactive (median of 5)',
        `${tti.toFixed(0)} ms (samples ${samples.map((s) => s.toFixed(0)).join(', ')})`,
      ],
      [
        'editor route size',
        `${(size.gzip / 1024).toFixed(1)} KiB gzip (${(size.raw / 1024).toFixed(0)} KiB raw, ${size.files} files)`,
      ],
    ];
    for (const [label, value] of rows_) console.log(`${(label ?? '').padEnd(36)} ${value ?? ''}`);
    console.log(
      JSON.stringify({
        bench: 'web',
        components,
        rows,
        ttiMs: Math.round(tti),
        ttiSamplesMs: samples.map(Math.round),
        editorRouteGzipBytes: size.gzip,
        editorRouteRawBytes: size.raw,
      }),
    );
  } finally {
    await browser.close();
    if (server.pid !== undefined) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // gone
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
