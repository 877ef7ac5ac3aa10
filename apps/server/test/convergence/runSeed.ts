import { printMarkdown } from '@syspat/markdown';
import { readModel } from '@syspat/ydoc';
import * as Y from 'yjs';
import { RawClient, createDocHttp, sleep, waitFor } from '../support.ts';
import { ChaosProxy, type FaultRates, type ProxyStats, emptyStats } from './chaosProxy.ts';
import { type DocState, docFrom, docState } from './docState.ts';
import { FuzzClient } from './fuzzClient.ts';
import { Observer, behindVector, missingFrom } from './observer.ts';
import { Rng } from './rng.ts';
import type { ServerLane } from './serverLane.ts';

/**
 * One seed of the convergence fuzz (reliability.md case 49). Everything random is drawn from
 * streams named after the seed: the fault rates, each client's script, each proxied connection's
 * fates, when the server is killed. Network timing is real, so a seed replays the same script
 * and faults, not always the same interleaving; rerun a failing seed a few times
 * (`CONVERGENCE_SEED=n CONVERGENCE_REPEAT=5`).
 *
 * 1. A document from the template (`POST /api/docs`); 5 stock clients, each through a chaos
 *    proxy of its own, sync in pass-through mode.
 * 2. Chaos: `ops` steps; each is an edit (insert, delete, format, undo, redo, setText, add /
 *    remove / move a card) by a random client, or a client going offline or online, a cut,
 *    kill -9 of the server (restarted on the same port and DATA_DIR while the edits go on), or a
 *    markdown import (`PUT /api/docs/:id/markdown` of a client's view, applied by the server as
 *    its own write), with short random pauses between steps.
 *    An observer (a raw client straight to the server) records what the server sends; all of it
 *    is committed by the server's rule, so after each kill -9, before the proxies may reach the
 *    new server, a fresh client checks that the reloaded document holds all of it (no
 *    acknowledged edit lost).
 * 3. Heal: the server is up, every proxy goes to pass-through (cutting what is open), every client
 *    goes online and reconnects on its own; wait until all are synced with equal state vectors
 *    and delete sets.
 * 4. Compare every client, the observer, the server (a fresh raw client's SyncStep2) and
 *    `GET /api/docs/:id/markdown`; then the clients leave, the server is killed with SIGKILL and
 *    restarted, and a fresh client and the markdown export must match again (reload from storage).
 */

export const CLIENTS = 5;

export interface SeedReport {
  readonly seed: number;
  readonly ops: number;
  readonly kills: number;
  readonly offline: number;
  readonly faults: FaultRates;
  readonly proxy: ProxyStats;
  readonly healMs: number;
  readonly totalMs: number;
}

export class DivergenceError extends Error {
  constructor(
    message: string,
    readonly details: string,
    options?: { cause: unknown },
  ) {
    super(`${message}\n${details}`, options);
    this.name = 'DivergenceError';
  }
}

const HEAL_TIMEOUT_MS = 20_000;

type Step = 'edit' | 'toggleOnline' | 'cut' | 'kill' | 'import' | 'pause';

export function drawFaults(rng: Rng): FaultRates {
  return {
    drop: rng.next() * 0.15,
    duplicate: rng.next() * 0.1,
    delay: rng.next() * 0.5,
    reorder: rng.next() * 0.15,
    cut: rng.next() * 0.01,
    maxDelayMs: rng.int(5, 60),
  };
}

export async function runSeed(
  seed: number,
  ops: number,
  lane: ServerLane,
  log: (line: string) => void,
): Promise<SeedReport> {
  const started = performance.now();
  const rng = new Rng(`convergence seed ${seed}`);
  const faults = drawFaults(rng.fork('faults'));
  const script = rng.fork('script');
  const events: string[] = [];
  const note = (event: string): void => {
    events.push(`${String(Math.round(performance.now() - started)).padStart(6)} ms  ${event}`);
  };

  await lane.ready();
  note('server ready');
  const docId = await createDocHttp(lane.url, `convergence seed ${seed}`);
  note(`document ${docId}`);
  const observer = new Observer();
  /** Acknowledged edits a kill -9 took back, one line per kill. */
  const lost: string[] = [];
  const proxies: ChaosProxy[] = [];
  const clients: FuzzClient[] = [];
  const kills = lane.kills;
  let offline = 0;
  try {
    await observer.connect(lane.wsUrl, docId);
    const setup = rng.fork('setup');
    const resyncMs = setup.chance(0.5) ? setup.int(100, 400) : 0;
    const clientIds = new Set<number>();
    while (clientIds.size < CLIENTS) clientIds.add(setup.int(1, 2 ** 31 - 1));
    const ids = [...clientIds];
    for (let i = 0; i < CLIENTS; i++) {
      const proxy = await ChaosProxy.start({
        rng: rng.fork(`proxy ${i}`),
        faults,
        upstream: () => lane.wsBase,
      });
      proxies.push(proxy);
      clients.push(
        new FuzzClient(i, ids[i]!, proxy.url, docId, {
          resyncMs,
          captureTimeoutMs: setup.pick([0, 50, 500]),
          maxBackoffMs: setup.pick([100, 200, 400]),
        }),
      );
    }
    note('clients created');
    await waitFor(() => clients.every((c) => c.provider.synced), 15_000, 'the first sync');
    note(`all synced; faults ${JSON.stringify(faults)}; resync ${resyncMs} ms`);
    for (const proxy of proxies) proxy.setMode('chaos');

    // ---- chaos ----------------------------------------------------------------------------
    const pauses = rng.fork('pauses');
    const maxKills = Math.max(2, Math.ceil(ops / 40));
    const imports = new Set<Promise<void>>();
    for (let step = 0; step < ops; step++) {
      const kind = script.weighted<Step>({
        edit: 84,
        toggleOnline: 4,
        cut: 3,
        kill: 1.5,
        import: 2,
        pause: 5.5,
      });
      const i = script.int(0, CLIENTS - 1);
      const client = clients[i]!;
      switch (kind) {
        case 'edit':
          note(`client ${i}: ${client.edit(script.fork(step))}`);
          break;
        case 'toggleOnline': {
          const now = client.toggleOnline();
          if (now === 'offline') offline += 1;
          note(`client ${i}: goes ${now}`);
          break;
        }
        case 'cut':
          proxies[i]!.cutAll();
          note(`client ${i}: connection cut`);
          break;
        case 'kill':
          if (lane.up && !lane.isRestarting && lane.kills - kills < maxKills) {
            const downMs = script.int(0, 300);
            // commit-first: everything the observer got was committed, so it must all survive;
            // send-first: what the server acknowledged as committed must
            const sendFirst = lane.env.FANOUT_ORDER === 'send-first';
            const acked = observer.received();
            const ackedVector = new Map(observer.acked);
            note(`server: kill -9 (restart after ${downMs} ms + start-up)`);
            const at = step;
            void lane
              .killAndRestart(downMs, async () => {
                try {
                  const reloaded = await serverDoc(lane, docId);
                  const missing = sendFirst
                    ? behindVector(reloaded, ackedVector)
                    : missingFrom(reloaded, acked);
                  if (missing !== undefined) lost.push(`kill -9 at step ${at}: ${missing}`);
                  note(`server: restarted; acknowledged edits ${missing ?? 'all kept'}`);
                } catch (err) {
                  lost.push(`kill -9 at step ${at}: could not read the reload: ${String(err)}`);
                }
                await observer.connect(lane.wsUrl, docId);
              })
              .catch((err: unknown) => note(`server: restart failed: ${String(err)}`));
          }
          break;
        case 'import': {
          // someone imports markdown (PUT, the CLI's way): this client's view with a changed intro
          if (!lane.up) {
            note(`client ${i}: import skipped, the server is down`);
            break;
          }
          const model = readModel(client.doc);
          const markdown = printMarkdown({ ...model, intro: `${model.intro} (import ${step})` });
          note(`client ${i}: PUT markdown (${markdown.length} chars)`);
          const put = importMarkdown(lane.url, docId, markdown).then(
            (status) => note(`import ${step}: ${status}`),
            (err: unknown) => note(`import ${step} failed: ${String(err)}`),
          );
          imports.add(put);
          void put.finally(() => imports.delete(put));
          break;
        }
        case 'pause':
          await sleep(script.int(20, 150));
          break;
      }
      const r = pauses.next();
      await sleep(r < 0.2 ? 0 : r < 0.8 ? pauses.int(5, 40) : pauses.int(40, 120));
    }

    // ---- heal -----------------------------------------------------------------------------
    await Promise.all(imports);
    note('heal: server up, proxies pass through, everyone online');
    await lane.ready();
    if (!observer.connected) await observer.connect(lane.wsUrl, docId);
    for (const proxy of proxies) proxy.setMode('pass');
    for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect();
    const healStarted = performance.now();
    // State vectors alone are not enough: a deletion does not advance them, so compare the
    // delete sets too (Y.snapshot: delete set and state vector).
    const converged = () => {
      if (!clients.every((c) => c.provider.synced && c.connected)) return false;
      const first = snapshotOf(clients[0]!.doc);
      return (
        clients.every((c) => snapshotOf(c.doc) === first) && snapshotOf(observer.doc) === first
      );
    };
    try {
      await waitFor(converged, HEAL_TIMEOUT_MS, 'every client to sync');
    } catch (err) {
      throw new DivergenceError(
        `seed ${seed}: the clients did not converge within ${HEAL_TIMEOUT_MS} ms`,
        diagnostics(clients, observer, proxies, lane, events),
        { cause: err },
      );
    }
    const healMs = Math.round(performance.now() - healStarted);
    note(`healed in ${healMs} ms`);

    // ---- compare --------------------------------------------------------------------------
    const reference = docState(clients[0]!.doc);
    const others: [string, DocState][] = clients
      .slice(1)
      .map((c) => [`client ${c.index}`, docState(c.doc)]);
    others.push(['client 0', reference]);
    others.push(['the observer (raw client straight to the server)', docState(observer.doc)]);
    // the server, through a fresh client, and its markdown export
    others.push(['the server (fresh client)', await serverState(lane, docId)]);
    const liveMarkdown = await exportMarkdown(lane, docId);
    note('compared clients and the live server');

    // reload from storage: nobody left to re-send anything, SIGKILL, restart, fresh client
    for (const client of clients) client.destroy();
    for (const proxy of proxies) await proxy.close();
    observer.close();
    await sleep(script.int(0, 30));
    note('reload: kill -9 and restart');
    await lane.killAndRestart();
    others.push(['a reload from storage (fresh client)', await serverState(lane, docId)]);
    const reloadedMarkdown = await exportMarkdown(lane, docId);
    note('read the reload');

    const problems: string[] = lost.map((line) => `acknowledged edits lost: ${line}`);
    for (const [who, state] of others) {
      if (state.pending) problems.push(`${who} has structs or deletes waiting for dependencies`);
      for (const key of ['stateVector', 'snapshot', 'content', 'model', 'markdown'] as const) {
        if (state[key] !== reference[key]) {
          problems.push(
            `${who} differs from client 0 in ${key}:\n${firstDifference(reference[key], state[key])}`,
          );
        }
      }
    }
    if (liveMarkdown !== reference.markdown)
      problems.push(`GET markdown (live):\n${firstDifference(reference.markdown, liveMarkdown)}`);
    if (reloadedMarkdown !== reference.markdown)
      problems.push(
        `GET markdown (after the reload):\n${firstDifference(reference.markdown, reloadedMarkdown)}`,
      );
    if (problems.length > 0) {
      throw new DivergenceError(
        `seed ${seed}: ${problems.length} difference(s)`,
        `${problems.join('\n')}\n--- events ---\n${events.join('\n')}`,
      );
    }
    const report: SeedReport = {
      seed,
      ops,
      kills: lane.kills - kills - 1,
      offline,
      faults,
      proxy: sumStats(proxies),
      healMs,
      totalMs: Math.round(performance.now() - started),
    };
    log(summary(report));
    if (process.env.CONVERGENCE_VERBOSE === '1') log(events.join('\n'));
    return report;
  } finally {
    observer.close();
    for (const client of clients) client.destroy();
    for (const proxy of proxies) await proxy.close();
  }
}

const snapshotOf = (doc: Y.Doc) => Buffer.from(Y.encodeSnapshot(Y.snapshot(doc))).toString('hex');

/** The server's document as a fresh client gets it (straight to the server, no proxy). */
async function serverDoc(lane: ServerLane, docId: string): Promise<Y.Doc> {
  const client = RawClient.connect(lane.wsUrl, docId, { handshakeTimeout: 10_000 });
  try {
    const reply = await client.handshake();
    return docFrom(reply.payload);
  } finally {
    client.close();
  }
}

async function serverState(lane: ServerLane, docId: string): Promise<DocState> {
  return docState(await serverDoc(lane, docId));
}

/** `PUT /api/docs/:id/markdown`; the status (a kill -9 meanwhile makes it fail). */
async function importMarkdown(url: string, docId: string, markdown: string): Promise<number> {
  const res = await fetch(`${url}/api/docs/${docId}/markdown`, {
    method: 'PUT',
    headers: { 'content-type': 'text/markdown' },
    body: markdown,
    signal: AbortSignal.timeout(10_000),
  });
  await res.text();
  return res.status;
}

async function exportMarkdown(lane: ServerLane, docId: string): Promise<string> {
  const res = await fetch(`${lane.url}/api/docs/${docId}/markdown`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 200) throw new Error(`GET markdown: ${res.status} ${await res.text()}`);
  return res.text();
}

function sumStats(proxies: readonly ChaosProxy[]): ProxyStats {
  const total = emptyStats();
  for (const p of proxies) {
    for (const key of Object.keys(total) as (keyof ProxyStats)[]) total[key] += p.stats[key];
  }
  return total;
}

function summary(r: SeedReport): string {
  const p = r.proxy;
  return (
    `R49 seed ${r.seed}: ${r.ops} ops, ${r.kills} kill -9 during the run (+1 for the reload), ` +
    `${r.offline} offline; messages ${p.messages}: ${p.dropped} dropped, ${p.duplicated} duplicated, ` +
    `${p.delayed} delayed, ${p.reordered} reordered, ${p.cuts} cuts; ${p.connections} connections, ` +
    `${p.refused} refused; healed in ${r.healMs} ms; ${r.totalMs} ms`
  );
}

function firstDifference(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const from = Math.max(0, i - 80);
  return `  at ${i}:\n  expected …${JSON.stringify(expected.slice(from, i + 80))}\n  actual   …${JSON.stringify(actual.slice(from, i + 80))}`;
}

function diagnostics(
  clients: readonly FuzzClient[],
  observer: Observer,
  proxies: readonly ChaosProxy[],
  lane: ServerLane,
  events: readonly string[],
): string {
  const lines = clients.map((c) => {
    const s = docState(c.doc);
    return `client ${c.index}: connected ${c.connected} synced ${c.provider.synced} pending ${s.pending} sv ${s.stateVector}`;
  });
  const o = docState(observer.doc);
  lines.push(`observer: connected ${observer.connected} pending ${o.pending} sv ${o.stateVector}`);
  lines.push(`proxies: ${JSON.stringify(sumStats(proxies))}`);
  lines.push(`server up: ${lane.up}; output:\n${lane.outputTail()}`);
  lines.push('--- events ---', ...events);
  return lines.join('\n');
}
