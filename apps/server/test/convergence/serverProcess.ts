import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { SERVER_DIR, waitFor } from '../support.ts';

/**
 * The server in a child process, started fast enough to be killed and restarted hundreds of times
 * per run. `support.ts`'s `startChildServer` runs `src/main.ts` through tsx, whose off-thread
 * module hooks cost ~1.3 s of CPU per start; here `src/main.ts` is bundled once per test run with
 * esbuild (the compiler tsx itself runs, taken from tsx's own dependencies) into a temp dir, and
 * each start costs ~0.25 s. Same source, same process model, same SQLite. When the bundle cannot be
 * built, or with `CONVERGENCE_SERVER=tsx`, it falls back to tsx.
 */

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** The last lines the server wrote (stdout and stderr). */
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ errors: unknown[] }>;
}

interface ResolveArgs {
  readonly path: string;
}

interface PluginBuild {
  onResolve(
    options: { filter: RegExp },
    callback: (args: ResolveArgs) => { path: string; external: boolean },
  ): void;
}

const OUTPUT_LINES_KEPT = 200;

let command: Promise<{ args: string[]; how: string }> | undefined;
let bundleDir: string | undefined;

/** How the server is started: `node <bundle>` or `node --import tsx src/main.ts`. */
export function serverCommand(): Promise<{ args: string[]; how: string }> {
  command ??= buildCommand();
  return command;
}

async function buildCommand(): Promise<{ args: string[]; how: string }> {
  const viaTsx = { args: ['--import', 'tsx', 'src/main.ts'], how: 'tsx src/main.ts' };
  if (process.env.CONVERGENCE_SERVER === 'tsx') return viaTsx;
  try {
    const serverRequire = createRequire(path.join(SERVER_DIR, 'package.json'));
    const tsxDir = path.dirname(fs.realpathSync(serverRequire.resolve('tsx/package.json')));
    const esbuild = createRequire(path.join(tsxDir, 'package.json'))('esbuild') as EsbuildLike;
    // the native addon stays outside the bundle, imported by absolute path
    const sqlite = serverRequire.resolve('better-sqlite3');
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'syspat-convergence-server-'));
    bundleDir = outDir;
    const outfile = path.join(outDir, 'main.mjs');
    await esbuild.build({
      entryPoints: [path.join(SERVER_DIR, 'src/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'silent',
      banner: {
        js: "import { createRequire as __syspatCreateRequire } from 'node:module'; const require = __syspatCreateRequire(import.meta.url);",
      },
      plugins: [
        {
          name: 'native-by-absolute-path',
          setup(build: PluginBuild) {
            build.onResolve({ filter: /^better-sqlite3$/ }, () => ({
              path: sqlite,
              external: true,
            }));
          },
        },
      ],
    });
    return { args: [outfile], how: 'a bundle of src/main.ts' };
  } catch (err) {
    console.log(`convergence: cannot bundle the server (${String(err)}); starting it with tsx`);
    return viaTsx;
  }
}

/** Removes the bundle (after the last server of the run stopped). */
export function removeServerBundle(): void {
  if (bundleDir !== undefined) fs.rmSync(bundleDir, { recursive: true, force: true });
  bundleDir = undefined;
  command = undefined;
}

/** Starts the server and waits until it listens (its port from the log line). */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const { args } = await serverCommand();
  const child = spawn(process.execPath, args, {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env, LOG_LEVEL: 'info', PORT: env.PORT ?? '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines: string[] = [];
  let partial = '';
  let port = 0;
  const onData = (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (port === 0) {
        const match = /"port":(\d+)[^\n]*syspat listening/.exec(line);
        if (match) port = Number(match[1]);
      }
      lines.push(line);
    }
    if (lines.length > 2 * OUTPUT_LINES_KEPT) lines = lines.slice(-OUTPUT_LINES_KEPT);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const output = () => [...lines.slice(-OUTPUT_LINES_KEPT), partial].join('\n');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`server exited early:\n${output()}`);
        }
        return port !== 0;
      },
      30_000,
      'the server to listen',
    );
  } catch (err) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw err;
  }
  return { child, port, output, exited };
}
