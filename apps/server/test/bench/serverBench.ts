import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import {
  BenchClient,
  connectClients,
  driveEdits,
  newEditLog,
  percentile,
  within,
} from './loadGenerator.ts';

/**
 * The server bench: one load generator, servers in child processes (syspat with SQLite
 * persistence on, and the reference `@y/websocket-server`), the same load against all of them.
 * Measures fan-out latency, the highest edit rate with p99 ≤ 100 ms, memory per client and per
 * document, and the cold load and the warm sync of a 10,000-entry document (with the stall each
 * causes elsewhere). A second syspat child with FANOUT_ORDER=send-first runs the fan-out and
 * max-rate sections only. 127.0.0.1 only; every loop is bounded in count and in time.
 */

type Kind = 'syspat' | 'reference';
type FanoutOrder = 'commit-first' | 'send-first';

/** One server configuration the bench runs: a child process of its own. */
interface ChildSpec {
  /** Its key in the JSON results. */
  readonly id: 'syspat' | 'syspatSendFirst' | 'reference';
  readonly kind: Kind;
  /** Its name in the progress lines. */
  readonly label: string;
  /** Appended to the names of its ratio rows (the default syspat's rows have none). */
  readonly rowSuffix: string;
  /** syspat's FANOUT_ORDER. */
  readonly fanoutOrder?: FanoutOrder;
  /** Every section, or only fan-out and max rate (to keep the run short). */
  readonly sections: 'all' | 'fanout and max rate';
}

type ChildId = ChildSpec['id'];

const CHILD_SPECS: readonly ChildSpec[] = [
  {
    id: 'syspat',
    kind: 'syspat',
    label: 'syspat',
    rowSuffix: '',
    fanoutOrder: 'commit-first',
    sections: 'all',
  },
  {
    id: 'syspatSendFirst',
    kind: 'syspat',
    label: 'syspat send-first',
    rowSuffix: ', send-first',
    fanoutOrder: 'send-first',
    sections: 'fanout and max rate',
  },
  { id: 'reference', kind: 'reference', label: 'reference', rowSuffix: '', sections: 'all' },
];
const LABEL_WIDTH = Math.max(...CHILD_SPECS.map((s) => s.label.length));

const SERVER_ENTRY = fileURLToPath(new URL('./benchServer.ts', import.meta.url));
const FANOUT_CLIENTS = [10, 50, 200] as const;
const FANOUT_RATE = 50; // edits per second across the room: ten people typing 5 characters a second
const FANOUT_SECONDS = 3;
const FANOUT_REPEATS = 3;
const WRITERS = 10;
const RAMP_CLIENTS = 50;
const RAMP_SECONDS = 3;
const RAMP_START = 100;
const RAMP_FACTOR = 1.5;
const RAMP_MAX = 20_000;
const P99_BUDGET_MS = 100;
const MEMORY_CLIENTS = 200;
const MEMORY_DOCS = 200;
const BIG_ENTRIES = 10_000;
const COLD_TRIALS = 3;
const WARM_TRIALS = 3;
/** Longest wait for any one answer (a sync reply, an echo, an IPC reply) before the bench fails. */
const ANSWER_TIMEOUT_MS = 60_000;

interface Child {
  readonly kind: Kind;
  readonly label: string;
  readonly process: ChildProcess;
  readonly port: number;
  /** syspat only: whether its parsed config carries FANOUT_ORDER (false: the server ignores it). */
  readonly fanoutOrderInConfig: boolean | undefined;
  request<T>(message: object, reply: string): Promise<T>;
}

export async function startChild(kind: Kind, args: string[], label: string = kind): Promise<Child> {
  const child = fork(SERVER_ENTRY, [kind, ...args], {
    execArgv: [...process.execArgv, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await within(
    new Promise<{ port: number; fanoutOrderInConfig?: boolean }>((resolve, reject) => {
      child.once('message', (m: { type: string; port: number; fanoutOrderInConfig?: boolean }) =>
        m.type === 'ready' ? resolve(m) : reject(new Error(m.type)),
      );
      child.once('exit', (code) => reject(new Error(`${label} server exited with ${code}`)));
    }),
    ANSWER_TIMEOUT_MS,
    `starting ${label}`,
  ).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  const request = <T>(message: object, reply: string) =>
    within(
      new Promise<T>((resolve) => {
        const onMessage = (m: { type: string }) => {
          if (m.type !== reply) return;
          child.off('message', onMessage);
          resolve(m as T);
        };
        child.on('message', onMessage);
        child.send(message);
      }),
      ANSWER_TIMEOUT_MS,
      `${label}: ${reply}`,
    );
  return {
    kind,
    label,
    process: child,
    port: ready.port,
    fanoutOrderInConfig: ready.fanoutOrderInConfig,
    request,
  };
}

export async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.send({ type: 'stop' });
  const timeout = setTimeout(() => child.process.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timeout);
}

const median = (xs: readonly number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/** A room on `child`: syspat documents are created through the API, the reference takes any name. */
async function newRoom(child: Child, name: string): Promise<string> {
  if (child.kind === 'reference') return `ws://127.0.0.1:${child.port}/${name}`;
  const res = await fetch(`http://127.0.0.1:${child.port}/api/docs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: name }),
  });
  const { id } = (await res.json()) as { id: string };
  return `ws://127.0.0.1:${child.port}/collab/${id}`;
}

const memory = (child: Child) =>
  child.request<{ heapUsed: number; external: number; rss: number; arrayBuffers: number }>(
    { type: 'mem' },
    'mem',
  );

const closeAll = async (clients: readonly BenchClient[]) => {
  for (const c of clients) c.close();
  await new Promise((r) => setTimeout(r, 200));
};

let editIds = 0;
const nextId = () => ++editIds;

/** A short run whose results are thrown away, so that JIT warm-up is not measured. */
export async function warmUp(child: Child) {
  const log = newEditLog();
  const clients = await connectClients(await newRoom(child, 'warm-up'), 50, log);
  await driveEdits(clients, log, { rate: 500, seconds: 2, writers: WRITERS, nextId });
  await closeAll(clients);
}

/** One fan-out measurement: `n` clients in a fresh room, FANOUT_RATE edits/s for FANOUT_SECONDS. */
async function fanoutOnce(child: Child, n: number) {
  const log = newEditLog();
  const clients = await connectClients(await newRoom(child, `fanout-${n}`), n, log);
  await new Promise((r) => setTimeout(r, 200));
  const r = await driveEdits(clients, log, {
    rate: FANOUT_RATE,
    seconds: FANOUT_SECONDS,
    writers: WRITERS,
    nextId,
  });
  await closeAll(clients);
  return r;
}

type FanoutResult = Record<
  number,
  { p50: number; p99: number; runs: { p50: number; p99: number }[] }
>;

/** Fan-out at each client count, the children interleaved, median of FANOUT_REPEATS runs. */
async function fanout(children: readonly Child[]): Promise<Map<Child, FanoutResult>> {
  const results = new Map<Child, FanoutResult>(children.map((c) => [c, {}]));
  for (const n of FANOUT_CLIENTS) {
    const runs = new Map<Child, { p50: number; p99: number }[]>(children.map((c) => [c, []]));
    for (let rep = 0; rep < FANOUT_REPEATS; rep++) {
      for (const child of children) {
        const r = await fanoutOnce(child, n);
        runs.get(child)!.push({ p50: r.p50, p99: r.p99 });
      }
    }
    for (const child of children) {
      const own = runs.get(child)!;
      const p50 = median(own.map((r) => r.p50));
      const p99 = median(own.map((r) => r.p99));
      results.get(child)![n] = { p50, p99, runs: own };
      process.stdout.write(
        `  ${child.label.padEnd(LABEL_WIDTH)} fan-out ${String(n).padStart(3)} clients: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms\n`,
      );
    }
  }
  return results;
}

async function maxRate(child: Child) {
  const log = newEditLog();
  const clients = await connectClients(await newRoom(child, 'ramp'), RAMP_CLIENTS, log);
  let best = 0;
  let limitedBy: 'p99' | 'generator' | 'ramp end' = 'ramp end';
  const steps: { rate: number; sent: number; p99: number }[] = [];
  for (let rate = RAMP_START; rate <= RAMP_MAX; rate = Math.round(rate * RAMP_FACTOR)) {
    // a step passes when p99 is within budget and the generator really offered the rate;
    // a failed step is tried once more (the machine is shared), then ends the ramp
    let passed = false;
    for (let attempt = 0; attempt < 2 && !passed; attempt++) {
      const r = await driveEdits(clients, log, {
        rate,
        seconds: RAMP_SECONDS,
        writers: WRITERS,
        nextId,
      });
      steps.push({ rate, sent: Math.round(r.sentPerSecond), p99: r.p99 });
      process.stdout.write(
        `  ${child.label.padEnd(LABEL_WIDTH)} ramp ${rate} edits/s: sent ${r.sentPerSecond.toFixed(0)}/s, p99 ${r.p99.toFixed(1)} ms\n`,
      );
      passed = r.p99 <= P99_BUDGET_MS && r.sentPerSecond >= rate * 0.9;
      if (!passed) limitedBy = r.p99 > P99_BUDGET_MS ? 'p99' : 'generator';
    }
    if (!passed) break;
    best = rate;
    limitedBy = 'ramp end';
  }
  await closeAll(clients);
  return { editsPerSecond: best, limitedBy, steps };
}

async function memoryUse(child: Child, docState: Uint8Array) {
  // connect and drop the same number of clients once, so that code compiled for them is not counted
  await closeAll(
    await connectClients(await newRoom(child, 'memory-warm-up'), MEMORY_CLIENTS, undefined),
  );
  const used = (m: Awaited<ReturnType<typeof memory>>) => m.heapUsed + m.external;
  // median of three rounds: one round's delta is ~1 MB, close to the noise of a GC
  const perClient: number[] = [];
  const rssPerClient: number[] = [];
  for (let round = 0; round < 3; round++) {
    // The document is loaded (by one holder, with the same content on both servers) before the
    // base figure, so that the per-client figure holds the clients only, not the document.
    const url = await newRoom(child, `memory-clients-${round}`);
    const holder = new BenchClient(url, 0, undefined);
    await within(holder.firstSyncReply, ANSWER_TIMEOUT_MS, `${child.label}: memory holder`);
    if (child.kind === 'reference') holder.sendUpdate(docState);
    await new Promise((r) => setTimeout(r, 300));
    const base = await memory(child);
    const clients = await connectClients(url, MEMORY_CLIENTS, undefined);
    await new Promise((r) => setTimeout(r, 300));
    const withClients = await memory(child);
    perClient.push((used(withClients) - used(base)) / MEMORY_CLIENTS);
    rssPerClient.push((withClients.rss - base.rss) / MEMORY_CLIENTS);
    await closeAll([...clients, holder]);
    await new Promise((r) => setTimeout(r, 300));
  }

  const before = await memory(child);
  const docClients: BenchClient[] = [];
  for (let i = 0; i < MEMORY_DOCS; i++) {
    const url = await newRoom(child, `memory-doc-${i}`);
    const c = new BenchClient(url, i, undefined);
    await within(c.firstSyncReply, ANSWER_TIMEOUT_MS, `${child.label}: memory doc ${i}`);
    // the reference starts empty: give it the same content syspat creates documents with
    if (child.kind === 'reference') c.sendUpdate(docState);
    docClients.push(c);
  }
  await new Promise((r) => setTimeout(r, 500));
  const withDocs = await memory(child);
  await closeAll(docClients);
  return {
    bytesPerClient: Math.round(median(perClient)),
    bytesPerDoc: Math.round((used(withDocs) - used(before)) / MEMORY_DOCS),
    rssPerClient: Math.round(median(rssPerClient)),
  };
}

function buildBigDoc(): Uint8Array {
  const doc = new Y.Doc();
  const entries = doc.getArray<Y.Map<unknown>>('entries');
  doc.transact(() => {
    for (let i = 0; i < BIG_ENTRIES; i++) {
      const entry = new Y.Map<unknown>();
      entry.set('id', `e${i}`);
      entry.set(
        'text',
        new Y.Text(`Entry ${i}: a component, its responsibility and how it talks to the rest`),
      );
      entry.set('done', i % 2 === 0);
      entries.push([entry]);
    }
  });
  return Y.encodeStateAsUpdate(doc);
}

/** One timed first sync of the big document (cold or warm), and the stall it caused elsewhere. */
interface SyncTrial {
  ms: number;
  contentInFirstReply: boolean;
  otherRoomMaxMs: number;
  loopStallMs: number;
}

/**
 * Connects a new client to `url` (the big document) and times connect → complete first sync
 * reply, while two clients in another room exchange a small edit every 2 ms: the worst latency
 * they see is the stall the sync causes elsewhere; the server's event-loop delay is measured too.
 */
async function timedFirstSync(child: Child, url: string, what: string): Promise<SyncTrial> {
  const log = newEditLog();
  const others = await connectClients(
    await newRoom(child, `bystander-${what.replaceAll(' ', '-')}`),
    2,
    log,
  );
  const pinger = setInterval(() => others[0]!.sendEdit(nextId()), 2);
  try {
    await new Promise((r) => setTimeout(r, 100));
    log.latencies.length = 0;
    await child.request({ type: 'lagStart' }, 'lagStarted');
    const started = performance.now();
    const reader = new BenchClient(url, 1, undefined);
    const reply = await within(reader.firstSyncReply, ANSWER_TIMEOUT_MS, `${child.label} ${what}`);
    const ms = reply.at - started;
    await new Promise((r) => setTimeout(r, 100));
    const { maxMs } = await child.request<{ maxMs: number }>({ type: 'lagStop' }, 'lag');
    clearInterval(pinger);
    reader.close();
    const check = new Y.Doc();
    Y.applyUpdate(check, reply.payload);
    process.stdout.write(
      `  ${child.label.padEnd(LABEL_WIDTH)} ${what}: ${ms.toFixed(1)} ms, event-loop stall ${maxMs.toFixed(1)} ms\n`,
    );
    return {
      ms,
      contentInFirstReply:
        check.getArray('entries').length === BIG_ENTRIES && reply.docBytesBefore === 0,
      otherRoomMaxMs: Math.max(0, ...log.latencies),
      loopStallMs: maxMs,
    };
  } finally {
    clearInterval(pinger);
    await closeAll(others);
  }
}

/** Waits until `client` receives a frame of at least `bytes` bytes: the echo of a big update. */
function echoOf(client: BenchClient, bytes: number, what: string): Promise<void> {
  return within(
    new Promise<void>((resolve) => {
      const onMessage = (d: Buffer) => {
        if (d.length < bytes) return;
        client.ws.off('message', onMessage);
        resolve();
      };
      client.ws.on('message', onMessage);
    }),
    ANSWER_TIMEOUT_MS,
    what,
  );
}

/**
 * A new syspat document filled with the big document by one writer, who stays connected until
 * the echo came back (the commit-first acknowledgement: the content is on disk).
 */
async function filledSyspatDoc(child: Child, bigDoc: Uint8Array, name: string) {
  const url = await newRoom(child, name);
  const writer = new BenchClient(url, 0, undefined);
  await within(writer.firstSyncReply, ANSWER_TIMEOUT_MS, `${child.label}: ${name} writer`);
  const echo = echoOf(writer, bigDoc.length / 2, `${child.label}: echo of ${name}`);
  writer.sendUpdate(bigDoc);
  await echo;
  return { url, writer };
}

/** Cold load: the document is on disk (syspat) or built by the content initializer (reference). */
async function coldLoadTrial(child: Child, bigDoc: Uint8Array, t: number): Promise<SyncTrial> {
  let url: string;
  if (child.kind === 'syspat') {
    const filled = await filledSyspatDoc(child, bigDoc, `big-${t}`);
    url = filled.url;
    // the writer leaves so that the document unloads
    filled.writer.close();
    for (let i = 0; i < 200; i++) {
      const health = (await (await fetch(`http://127.0.0.1:${child.port}/api/health`)).json()) as {
        loadedDocs: number;
      };
      if (health.loadedDocs === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
  } else {
    url = `ws://127.0.0.1:${child.port}/big-${t}`;
  }
  return timedFirstSync(child, url, `cold load ${t}`);
}

/**
 * The big document kept in memory for the warm trials by one connected holder. syspat: created
 * and filled as in the cold case, its writer stays as the holder. Reference: the holder's
 * connection runs the content initializer.
 */
async function loadedBigDoc(child: Child, bigDoc: Uint8Array) {
  let url: string;
  let holder: BenchClient;
  if (child.kind === 'syspat') {
    ({ url, writer: holder } = await filledSyspatDoc(child, bigDoc, 'big-warm'));
  } else {
    url = `ws://127.0.0.1:${child.port}/big-warm`;
    holder = new BenchClient(url, 0, undefined);
    await within(holder.firstSyncReply, ANSWER_TIMEOUT_MS, `${child.label}: big-warm holder`);
  }
  return { url, holder };
}

function summarizeSync(trials: readonly SyncTrial[]) {
  return {
    medianMs: median(trials.map((t) => t.ms)),
    contentInFirstReply: trials.every((t) => t.contentInFirstReply),
    otherRoomMaxLatencyMs: median(trials.map((t) => t.otherRoomMaxMs)),
    eventLoopStallMs: median(trials.map((t) => t.loopStallMs)),
    trials,
  };
}

/** The syspat template's initial state, as a new syspat document holds it (read from syspat). */
async function templateStateFrom(child: Child): Promise<Uint8Array> {
  const c = new BenchClient(await newRoom(child, 'template'), 0, undefined);
  const reply = await within(c.firstSyncReply, ANSWER_TIMEOUT_MS, 'template document');
  c.close();
  return reply.payload;
}

/** syspat's commit latency over the whole run, from its Prometheus metrics. */
async function storageWriteLatency(child: Child) {
  const text = await (await fetch(`http://127.0.0.1:${child.port}/api/metrics`)).text();
  const value = (pattern: string) =>
    Number(new RegExp(`^${pattern} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const commits = value('syspat_storage_write_seconds_count');
  const seconds = value('syspat_storage_write_seconds_sum');
  return {
    commits,
    meanMs: (seconds / commits) * 1000,
    over10ms: commits - value('syspat_storage_write_seconds_bucket\\{le="0.01"\\}'),
    over100ms: commits - value('syspat_storage_write_seconds_bucket\\{le="0.1"\\}'),
  };
}

type MaxRateResult = Awaited<ReturnType<typeof maxRate>>;
type StorageWrites = Awaited<ReturnType<typeof storageWriteLatency>>;

/** What each child measured; memory, cold load and warm sync only for the 'all' children. */
interface Measured {
  fanout: FanoutResult;
  maxRate: MaxRateResult;
  memory?: Awaited<ReturnType<typeof memoryUse>>;
  coldLoad?: ReturnType<typeof summarizeSync>;
  warmSync?: ReturnType<typeof summarizeSync>;
  storageWrites?: StorageWrites;
  fanoutOrder?: FanoutOrder;
  /** syspat only: false when the server ignored FANOUT_ORDER (it does not know it yet). */
  fanoutOrderInConfig?: boolean;
}

interface Row {
  /** As printed in the table. */
  name: string;
  /** Its key in `ratios` (the name, unless two rows print the same name). */
  key: string;
  syspat: number;
  reference: number;
  better: 'lower' | 'higher';
}

const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** The ratio rows: each syspat configuration against the reference, section by section. */
function ratioRows(results: ReadonlyMap<ChildId, Measured>): Row[] {
  const reference = results.get('reference')!;
  const syspats = CHILD_SPECS.filter((s) => s.kind === 'syspat' && results.has(s.id));
  const rows: Row[] = [];
  const row = (name: string, s: number, r: number, better: Row['better'], key = name) =>
    rows.push({ name, key, syspat: s, reference: r, better });
  for (const spec of syspats) {
    const own = results.get(spec.id)!;
    for (const n of FANOUT_CLIENTS) {
      for (const p of ['p50', 'p99'] as const) {
        row(
          `fan-out ${p}, ${n} clients${spec.rowSuffix} (ms)`,
          own.fanout[n]![p],
          reference.fanout[n]![p],
          'lower',
        );
      }
    }
  }
  for (const spec of syspats) {
    const own = results.get(spec.id)!;
    row(
      `max edits/s at p99 <= ${P99_BUDGET_MS} ms, ${RAMP_CLIENTS} clients${spec.rowSuffix} (ended by: ${spec.label} ${own.maxRate.limitedBy}, reference ${reference.maxRate.limitedBy})`,
      own.maxRate.editsPerSecond,
      reference.maxRate.editsPerSecond,
      'higher',
    );
  }
  const syspat = results.get('syspat')!;
  row(
    'memory per client (bytes)',
    syspat.memory!.bytesPerClient,
    reference.memory!.bytesPerClient,
    'lower',
  );
  row('memory per doc (bytes)', syspat.memory!.bytesPerDoc, reference.memory!.bytesPerDoc, 'lower');
  row(
    `cold load, ${BIG_ENTRIES} entries (ms)`,
    syspat.coldLoad!.medianMs,
    reference.coldLoad!.medianMs,
    'lower',
  );
  row(
    'stall in another room during it (ms)',
    syspat.coldLoad!.otherRoomMaxLatencyMs,
    reference.coldLoad!.otherRoomMaxLatencyMs,
    'lower',
  );
  row(
    `warm sync, ${BIG_ENTRIES} entries (ms)`,
    syspat.warmSync!.medianMs,
    reference.warmSync!.medianMs,
    'lower',
  );
  row(
    'stall in another room during it (ms)',
    syspat.warmSync!.otherRoomMaxLatencyMs,
    reference.warmSync!.otherRoomMaxLatencyMs,
    'lower',
    // the cold row prints the same name: the JSON key says which
    'stall in another room during warm sync (ms)',
  );
  return rows;
}

export async function runServerBench(options: {
  resultsFile: string;
  flushWindowMs?: number;
}): Promise<void> {
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'syspat-bench-'));
  const bigDoc = buildBigDoc();
  const bigDocFile = path.join(work, 'big.bin');
  fs.writeFileSync(bigDocFile, bigDoc);
  const flushWindowMs = options.flushWindowMs ?? 0;
  const results = new Map<ChildId, Measured>();
  try {
    const probe = await startChild('syspat', [path.join(work, 'probe'), '0'], 'probe');
    const templateState = await templateStateFrom(probe).finally(() => stopChild(probe));

    const children = new Map<ChildSpec, Child>();
    try {
      for (const spec of CHILD_SPECS) {
        const args =
          spec.kind === 'syspat'
            ? [path.join(work, `data-${spec.id}`), String(flushWindowMs), spec.fanoutOrder!]
            : [bigDocFile];
        const child = await startChild(spec.kind, args, spec.label);
        children.set(spec, child);
        if (spec.fanoutOrder !== undefined && child.fanoutOrderInConfig === false) {
          process.stdout.write(
            `note: ${spec.label}: the server's config has no FANOUT_ORDER yet, so it runs its default order\n`,
          );
        }
      }
      const all = [...children.values()];
      const full = [...children].filter(([spec]) => spec.sections === 'all').map(([, c]) => c);
      const specOf = (child: Child) => [...children].find(([, c]) => c === child)![0];

      process.stdout.write('warming up\n');
      for (const child of all) await warmUp(child);
      process.stdout.write(
        `fan-out (${FANOUT_RATE} edits/s, median of ${FANOUT_REPEATS} runs of ${FANOUT_SECONDS} s):\n`,
      );
      const fanouts = await fanout(all);
      process.stdout.write(
        `highest edit rate with p99 <= ${P99_BUDGET_MS} ms (${RAMP_CLIENTS} clients):\n`,
      );
      for (const child of all) {
        const spec = specOf(child);
        results.set(spec.id, {
          fanout: fanouts.get(child)!,
          maxRate: await maxRate(child),
          ...(spec.kind === 'syspat'
            ? { fanoutOrder: spec.fanoutOrder, fanoutOrderInConfig: child.fanoutOrderInConfig }
            : {}),
        });
      }
      // the children that run nothing more stop here, so that they do not share the CPU
      for (const [spec, child] of children) {
        if (spec.sections === 'all') continue;
        if (spec.kind === 'syspat')
          results.get(spec.id)!.storageWrites = await storageWriteLatency(child);
        await stopChild(child);
      }

      process.stdout.write('memory:\n');
      for (const child of full) {
        const mem = await memoryUse(child, templateState);
        results.get(specOf(child).id)!.memory = mem;
        process.stdout.write(
          `  ${child.label.padEnd(LABEL_WIDTH)} ${mem.bytesPerClient} B/client, ${mem.bytesPerDoc} B/doc\n`,
        );
      }

      process.stdout.write(
        `cold load of a ${BIG_ENTRIES}-entry document (${(bigDoc.length / 1024 / 1024).toFixed(1)} MB), not in memory:\n`,
      );
      const colds = new Map<Child, SyncTrial[]>(full.map((c) => [c, []]));
      for (let t = 0; t < COLD_TRIALS; t++) {
        for (const child of full) colds.get(child)!.push(await coldLoadTrial(child, bigDoc, t));
      }

      process.stdout.write(
        `warm sync of the same document, already in memory (one holder client connected):\n`,
      );
      const loaded = new Map<Child, Awaited<ReturnType<typeof loadedBigDoc>>>();
      const warms = new Map<Child, SyncTrial[]>(full.map((c) => [c, []]));
      try {
        for (const child of full) loaded.set(child, await loadedBigDoc(child, bigDoc));
        // let the loads and their commits settle before timing anything
        await new Promise((r) => setTimeout(r, 500));
        for (let t = 0; t < WARM_TRIALS; t++) {
          for (const child of full) {
            warms
              .get(child)!
              .push(await timedFirstSync(child, loaded.get(child)!.url, `warm sync ${t}`));
          }
        }
      } finally {
        await closeAll([...loaded.values()].map((l) => l.holder));
      }

      for (const child of full) {
        const own = results.get(specOf(child).id)!;
        own.coldLoad = summarizeSync(colds.get(child)!);
        own.warmSync = summarizeSync(warms.get(child)!);
        if (child.kind === 'syspat') own.storageWrites = await storageWriteLatency(child);
      }
      const storageWrites = results.get('syspat')!.storageWrites!;
      process.stdout.write(
        `syspat storage commits: ${storageWrites.commits}, mean ${storageWrites.meanMs.toFixed(2)} ms, ` +
          `${storageWrites.over10ms} over 10 ms (the fsync is on the fan-out path)\n`,
      );
    } finally {
      for (const child of children.values()) await stopChild(child);
    }

    const syspat = results.get('syspat')!;
    const reference = results.get('reference')!;
    const rows = ratioRows(results);
    const table = [
      `| measure | syspat | reference | syspat/reference | better |`,
      `|---|---:|---:|---:|---|`,
      ...rows.map(
        (r) =>
          `| ${r.name} | ${fmt(r.syspat)} | ${fmt(r.reference)} | ${fmt(ratio(r.syspat, r.reference))} | ${r.better} |`,
      ),
      `| content in first sync reply | ${syspat.coldLoad!.contentInFirstReply} | ${reference.coldLoad!.contentInFirstReply} | | |`,
      `| content in first sync reply, warm | ${syspat.warmSync!.contentInFirstReply} | ${reference.warmSync!.contentInFirstReply} | | |`,
    ].join('\n');
    process.stdout.write(`\n${table}\n\n`);

    const result = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        node: process.version,
        platform: process.platform,
      },
      settings: {
        flushWindowMs,
        fanoutRate: FANOUT_RATE,
        fanoutSeconds: FANOUT_SECONDS,
        writers: WRITERS,
        rampClients: RAMP_CLIENTS,
        p99BudgetMs: P99_BUDGET_MS,
        bigDocEntries: BIG_ENTRIES,
        bigDocBytes: bigDoc.length,
        syspatStorage: 'SQLite WAL, synchronous=FULL (commit before fan-out)',
        reference: '@y/websocket-server 0.1.5, no persistence',
        children: CHILD_SPECS.map((s) => ({
          id: s.id,
          label: s.label,
          fanoutOrder: s.fanoutOrder,
          sections: s.sections,
        })),
      },
      ...Object.fromEntries(results),
      ratios: Object.fromEntries(rows.map((r) => [r.key, ratio(r.syspat, r.reference)])),
      seconds: Math.round((Date.now() - started) / 1000),
    };
    fs.mkdirSync(path.dirname(options.resultsFile), { recursive: true });
    fs.writeFileSync(
      options.resultsFile,
      JSON.stringify(result, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v), 2) + '\n',
    );
    process.stdout.write(`wrote ${options.resultsFile} (${result.seconds} s)\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
