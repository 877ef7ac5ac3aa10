import { afterAll, beforeAll, describe, it, vi } from 'vitest';
import { runSeed } from './runSeed.ts';
import { type SeedPlan, VARIANT_COUNT, settingsFromEnv } from './seeds.ts';
import { ServerLane } from './serverLane.ts';
import { removeServerBundle, serverCommand } from './serverProcess.ts';

/**
 * Convergence fuzz, reliability.md case 49: 5 stock y-websocket clients edit one syspat document
 * through chaos proxies (drops, duplicates, delays, reordering, cuts) while they go offline and
 * online and the server is killed with SIGKILL and restarted; at the end every client, the
 * server and a reload from storage hold the same state and export the same markdown.
 * What one seed does: runSeed.ts. Which seeds run: seeds.ts. Reproduce a failure with
 * `CONVERGENCE_SEED=n pnpm vitest run apps/server/test/convergence/fuzz.test.ts`.
 */

/**
 * Server settings, by `seed % 3`: compaction every few updates (snapshots written and replaced
 * under kill -9), a group-commit window with compaction now and then, and a delayed unload with
 * `synchronous=normal` and updates sent on before they are committed (`FANOUT_ORDER=send-first`).
 */
const VARIANTS: readonly Record<string, string>[] = [
  { COMPACT_AFTER_UPDATES: '8' },
  { COMPACT_AFTER_UPDATES: '40', FLUSH_WINDOW_MS: '5' },
  { UNLOAD_DELAY_MS: '150', SQLITE_SYNCHRONOUS: 'normal', FANOUT_ORDER: 'send-first' },
];
if (VARIANTS.length !== VARIANT_COUNT) throw new Error('one variant per lane group');

const SEED_TIMEOUT_MS = 180_000;

const settings = settingsFromEnv();
const suiteStarted = performance.now();
let failures = 0;

// Seeds wait for their lane inside the test; let enough of them run at once to keep every lane busy.
vi.setConfig({ maxConcurrency: 2 * settings.lanes });

// Each stock provider adds a process 'exit' listener; several lanes of 5 pass the default 10.
process.setMaxListeners(Math.max(process.getMaxListeners(), 100));

/** One server per lane; seeds of a lane run one after the other on it. */
const lanes = new Map<number, { lane: ServerLane; tail: Promise<unknown> }>();

function onLane<T>(seed: number, run: (lane: ServerLane) => Promise<T>): Promise<T> {
  const index = seed % settings.lanes;
  let entry = lanes.get(index);
  if (entry === undefined) {
    const variant = VARIANTS[seed % VARIANT_COUNT]!;
    entry = { lane: ServerLane.create(`lane ${index}`, variant), tail: Promise.resolve() };
    lanes.set(index, entry);
  }
  const { lane } = entry;
  const result = entry.tail.then(() => run(lane));
  entry.tail = result.catch(() => undefined);
  return result;
}

function title(plan: SeedPlan): string {
  let name =
    'every client, the server and a reload from storage converge under drops, duplicates, ' +
    `delays, reordering and kill -9 (R49, seed ${plan.seed})`;
  if (plan.regression !== undefined) name += ` [kept: ${plan.regression}]`;
  if (plan.repeat !== undefined) name += ` run ${plan.repeat}`;
  return name;
}

describe('convergence under network faults and kill -9 (R49)', () => {
  beforeAll(async () => {
    const { how } = await serverCommand();
    console.log(
      `R49: ${settings.plans.length} seed(s), ${settings.lanes} server(s) side by side, ` +
        `the server started from ${how}`,
    );
  });
  afterAll(async () => {
    await Promise.all([...lanes.values()].map(({ lane }) => lane.stop()));
    for (const { lane } of lanes.values()) {
      if (failures === 0) lane.removeData();
      else console.log(`R49: ${lane.name} kept its DATA_DIR for inspection: ${lane.env.DATA_DIR}`);
    }
    removeServerBundle();
  });

  for (const plan of settings.plans) {
    it.concurrent(
      title(plan),
      async ({ skip }) => {
        const overBudget = () =>
          settings.budgetMs !== undefined && performance.now() - suiteStarted > settings.budgetMs;
        if (overBudget()) skip(`CONVERGENCE_BUDGET_S spent before seed ${plan.seed}`);
        await onLane(plan.seed, async (lane) => {
          if (overBudget()) skip(`CONVERGENCE_BUDGET_S spent before seed ${plan.seed}`);
          try {
            await runSeed(plan.seed, plan.ops, lane, (line) => console.log(line));
          } catch (err) {
            failures += 1;
            // a fresh server for the lane's next seed, whatever state this one left it in
            await lane.stop().catch(() => undefined);
            const reproduce =
              `reproduce: CONVERGENCE_SEED=${plan.seed} CONVERGENCE_OPS=${plan.ops} ` +
              'pnpm vitest run apps/server/test/convergence/fuzz.test.ts ' +
              `(keep it: add { "seed": ${plan.seed}, "ops": ${plan.ops}, "note": "…" } ` +
              'to apps/server/test/convergence/regressions.json)';
            console.log(`R49 seed ${plan.seed} FAILED; ${reproduce}`);
            throw new Error(`R49 seed ${plan.seed} failed; ${reproduce}`, { cause: err });
          }
        });
      },
      SEED_TIMEOUT_MS,
    );
  }
});
