import fs from 'node:fs';

/**
 * Which seeds run, from the environment:
 *
 * - `CONVERGENCE_SEED=n`: only seed n (with `CONVERGENCE_REPEAT=k`, k times), to reproduce one.
 * - otherwise `CONVERGENCE_SEEDS` seeds (default 200) from `CONVERGENCE_FIRST_SEED` (default 1),
 *   plus every seed kept in `regressions.json`, which always runs.
 * - `CONVERGENCE_OPS`: steps per seed (default 40; a regression keeps the count it failed with).
 * - `CONVERGENCE_LANES`: servers running seeds side by side (default 6, rounded up to a multiple of
 *   3; the seeds mostly wait on the network, so 6 keep 2 cores busy).
 * - `CONVERGENCE_BUDGET_S`: seeds that would start after this many seconds are skipped (soak).
 * - `CONVERGENCE_VERBOSE=1`: print each seed's timeline of edits and faults (runSeed.ts).
 * - `CONVERGENCE_SERVER=tsx`: start the server with tsx instead of a bundle (serverProcess.ts).
 */

export interface SeedPlan {
  readonly seed: number;
  readonly ops: number;
  /** Why a kept seed is kept (regressions.json). */
  readonly regression?: string;
  readonly repeat?: number;
}

export interface Regression {
  readonly seed: number;
  readonly ops: number;
  readonly note: string;
}

const REGRESSIONS_FILE = new URL('./regressions.json', import.meta.url);

export function readRegressions(): Regression[] {
  const parsed: unknown = JSON.parse(fs.readFileSync(REGRESSIONS_FILE, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error('regressions.json: expected an array');
  return parsed.map((entry: unknown, i) => {
    const e = entry as Partial<Regression> | null;
    if (
      e === null ||
      typeof e.seed !== 'number' ||
      typeof e.ops !== 'number' ||
      typeof e.note !== 'string'
    ) {
      throw new Error(`regressions.json[${i}]: expected { seed, ops, note }`);
    }
    return { seed: e.seed, ops: e.ops, note: e.note };
  });
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export interface Settings {
  readonly plans: SeedPlan[];
  readonly lanes: number;
  readonly budgetMs: number | undefined;
}

export const VARIANT_COUNT = 3;

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const ops = intFromEnv(env, 'CONVERGENCE_OPS', 40, 1);
  const lanesWanted = intFromEnv(env, 'CONVERGENCE_LANES', 2 * VARIANT_COUNT, 1);
  const lanes = Math.ceil(lanesWanted / VARIANT_COUNT) * VARIANT_COUNT;
  const budgetS = intFromEnv(env, 'CONVERGENCE_BUDGET_S', 0);
  const budgetMs = budgetS > 0 ? budgetS * 1000 : undefined;
  const only = env.CONVERGENCE_SEED;
  if (only !== undefined && only !== '') {
    const seed = intFromEnv(env, 'CONVERGENCE_SEED', 0);
    const kept = readRegressions().find((r) => r.seed === seed);
    const repeat = intFromEnv(env, 'CONVERGENCE_REPEAT', 1, 1);
    const plans = Array.from({ length: repeat }, (_, i) => ({
      seed,
      ops: env.CONVERGENCE_OPS === undefined && kept !== undefined ? kept.ops : ops,
      ...(kept === undefined ? {} : { regression: kept.note }),
      ...(repeat > 1 ? { repeat: i + 1 } : {}),
    }));
    return { plans, lanes, budgetMs };
  }
  const count = intFromEnv(env, 'CONVERGENCE_SEEDS', 200);
  const first = intFromEnv(env, 'CONVERGENCE_FIRST_SEED', 1);
  const regressions = readRegressions();
  const plans: SeedPlan[] = regressions.map((r) => ({
    seed: r.seed,
    ops: r.ops,
    regression: r.note,
  }));
  const kept = new Set(regressions.map((r) => `${r.seed}/${r.ops}`));
  for (let seed = first; seed < first + count; seed++) {
    if (!kept.has(`${seed}/${ops}`)) plans.push({ seed, ops });
  }
  return { plans, lanes, budgetMs };
}
