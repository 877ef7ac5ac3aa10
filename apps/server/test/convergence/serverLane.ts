import fs from 'node:fs';
import { buildTestEnv, sleep } from '../support.ts';
import { type ServerProcess, startServerProcess } from './serverProcess.ts';

/**
 * One real server in a child process (serverProcess.ts; SQLite in a temp DATA_DIR) that can be
 * killed with SIGKILL and restarted on the same port and DATA_DIR. Seeds of one lane run one
 * after the other on it; every seed ends with a kill and a restart (its reload-from-storage
 * check), so the next seed starts on a fresh process.
 */
export class ServerLane {
  private server: ServerProcess | undefined;
  private restarting: Promise<void> | undefined;
  /** Up, but not open to the proxies yet (a check runs on what was reloaded). */
  private gated = false;
  private port = 0;
  kills = 0;

  constructor(
    readonly name: string,
    readonly env: Record<string, string>,
  ) {}

  static create(name: string, overrides: Record<string, string>): ServerLane {
    return new ServerLane(name, buildTestEnv(overrides));
  }

  /** `ws://127.0.0.1:<port>` while the server is up and open; undefined while it is down. */
  get wsBase(): string | undefined {
    return this.up ? `ws://127.0.0.1:${this.port}` : undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/collab`;
  }

  /** Up and open to the clients (their proxies). */
  get up(): boolean {
    return this.server !== undefined && !this.gated;
  }

  /** The last lines the server wrote, for failure reports. */
  outputTail(lines = 20): string {
    return (this.server?.output() ?? '').split('\n').slice(-lines).join('\n');
  }

  /** Resolves once the server is up (starting it when it is down and no restart is under way). */
  async ready(): Promise<void> {
    if (this.restarting !== undefined) await this.restarting;
    if (this.server === undefined) await this.startOnce();
    if (this.server?.child.exitCode !== null) throw new Error(`${this.name}: the server died`);
  }

  /** SIGKILL now; the server counts as down from this moment on. */
  async kill9(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.kills += 1;
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await server.exited;
  }

  /**
   * SIGKILL, then a restart (after `downMs`) that the caller may or may not await. `beforeOpen`
   * runs once the new server listens and before the proxies may reach it (`up` is false until it
   * is done), so it sees exactly what the server reloaded from storage.
   */
  killAndRestart(downMs = 0, beforeOpen?: () => Promise<void>): Promise<void> {
    this.restarting ??= (async () => {
      try {
        await this.kill9();
        if (downMs > 0) await sleep(downMs);
        this.gated = true;
        await this.startOnce();
        if (beforeOpen !== undefined) await beforeOpen();
      } finally {
        this.gated = false;
        this.restarting = undefined;
      }
    })();
    return this.restarting;
  }

  get isRestarting(): boolean {
    return this.restarting !== undefined;
  }

  async stop(): Promise<void> {
    await this.restarting?.catch(() => undefined);
    await this.kill9();
  }

  /** Removes the lane's DATA_DIR (the server must be stopped). */
  removeData(): void {
    fs.rmSync(this.env.DATA_DIR!, { recursive: true, force: true });
  }

  /**
   * Starts on the lane's port (a free one the first time), retrying while the port is still held.
   * Should something else have taken it meanwhile (an outgoing connection can be given the same
   * number while the server is down), it moves to a free port: the clients only know their proxy.
   */
  private async startOnce(): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 6; attempt++) {
      const port = attempt < 5 ? this.port : 0;
      try {
        const server = await startServerProcess({ ...this.env, PORT: String(port) });
        if (port !== this.port)
          console.log(`${this.name}: port ${this.port} taken; now on ${server.port}`);
        this.port = server.port;
        this.server = server;
        return;
      } catch (err) {
        lastError = err;
        await sleep(100 * (attempt + 1));
      }
    }
    throw new Error(`${this.name}: the server did not restart`, { cause: lastError });
  }
}
