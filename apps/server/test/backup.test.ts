import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { cardPath, getText, insertCard } from '@syspat/ydoc';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  type ChildServer,
  SERVER_DIR,
  buildTestEnv,
  connectProvider,
  createDocHttp,
  sleep,
  startChildServer,
  tempDir,
  waitFor,
} from './support.ts';

/** Runs the backup CLI as an operator would, against the live server's DATA_DIR. */
function runBackupCli(
  dataDir: string,
  destination: string,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/backupCli.ts', '--', destination],
      {
        cwd: SERVER_DIR,
        env: { ...process.env, DATA_DIR: dataDir, INIT_CWD: SERVER_DIR },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

async function exportOf(url: string, docId: string): Promise<string> {
  const res = await fetch(`${url}/api/docs/${docId}/markdown`);
  expect(res.status, `export of ${docId}`).toBe(200);
  return res.text();
}

/** The title text of the card a writer appends its markers to. */
const titleOf = (doc: Y.Doc, cardId: string) =>
  getText(doc, [...cardPath('components', cardId), 'title']);

/** Every marker `w<writer>n<count>z` in `text`. */
const markersIn = (text: string) => text.match(/w\dn\d+z/g) ?? [];

describe('backup (R50)', () => {
  const children: ChildServer[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.child.exitCode === null) c.child.kill('SIGKILL');
      await c.exited;
    }
  });

  it('backup while writing restores to an identical export (R50)', async () => {
    const env = buildTestEnv();
    const live = await startChildServer(env);
    children.push(live);
    const docIds = [
      await createDocHttp(live.url, 'backup A'),
      await createDocHttp(live.url, 'backup B'),
    ];
    // 3 stock writers (two share document A) and one stock observer per document: what an
    // observer has seen was committed before the server fanned it out (group commit first)
    const writers = [0, 1, 2].map((n) => connectProvider(live.wsUrl, docIds[n === 2 ? 1 : 0]!));
    const observers = docIds.map((id) => connectProvider(live.wsUrl, id));
    await Promise.all([...writers, ...observers].map((c) => c.synced));
    const cards = writers.map((w) => {
      const card = insertCard(w.doc, 'components');
      titleOf(w.doc, card.id)!.insert(0, 'T ');
      return card.id;
    });
    let paused = false;
    const counts = [0, 0, 0];
    const timers = writers.map((w, n) =>
      setInterval(() => {
        if (paused) return;
        const text = titleOf(w.doc, cards[n]!);
        text?.insert(text.length, ` w${n}n${counts[n]!++}z`);
      }, 3),
    );
    const observed = () =>
      observers.flatMap((o, d) =>
        writers
          .map((_, n) => n)
          .filter((n) => (n === 2 ? 1 : 0) === d)
          .flatMap((n) => markersIn(titleOf(o.doc, cards[n]!)?.toJSON() ?? '')),
      );
    try {
      await waitFor(() => observed().length > 150, 20_000, 'edits to be acknowledged');

      // 1. mid-write: everything acknowledged before the backup began is in it
      const ackedBefore = observed();
      const backupDir = tempDir();
      const midFile = path.join(backupDir, 'mid.sqlite');
      const sentBefore = counts.reduce((a, b) => a + b, 0);
      const started = Date.now();
      const mid = await runBackupCli(env.DATA_DIR!, midFile);
      const backupMs = Date.now() - started;
      expect(mid.code, mid.out).toBe(0);
      const sentDuring = counts.reduce((a, b) => a + b, 0) - sentBefore;
      expect(sentDuring, 'the writers kept writing during the backup').toBeGreaterThan(0);
      const midDb = new Database(midFile, { readonly: true });
      expect(midDb.pragma('integrity_check', { simple: true })).toBe('ok');
      midDb.close();

      const midDir = tempDir();
      fs.copyFileSync(midFile, path.join(midDir, 'syspat.sqlite'));
      const midServer = await startChildServer({ ...env, DATA_DIR: midDir });
      children.push(midServer);
      const listed = (await (await fetch(`${midServer.url}/api/docs`)).json()) as {
        docs: { id: string }[];
      };
      expect(listed.docs.map((d) => d.id).sort()).toEqual([...docIds].sort());
      const midExports = await Promise.all(docIds.map((id) => exportOf(midServer.url, id)));
      const inMid = new Set(midExports.flatMap(markersIn));
      const missing = ackedBefore.filter((m) => !inMid.has(m));
      expect(missing, 'acknowledged edits missing from the backup').toEqual([]);
      midServer.child.kill('SIGTERM');
      await midServer.exited;

      // 2. at a quiescent point: a backup restores to exactly the live export
      paused = true;
      await waitFor(
        () =>
          writers.every(
            (w, n) =>
              titleOf(observers[n === 2 ? 1 : 0]!.doc, cards[n]!)?.toJSON() ===
              titleOf(w.doc, cards[n]!)?.toJSON(),
          ),
        10_000,
        'observers to catch up',
      );
      const liveExports = await Promise.all(docIds.map((id) => exportOf(live.url, id)));
      const quietFile = path.join(backupDir, 'quiet.sqlite');
      const quiet = await runBackupCli(env.DATA_DIR!, quietFile);
      expect(quiet.code, quiet.out).toBe(0);
      // restore: stop, replace the file, start
      const restoreDir = tempDir();
      fs.copyFileSync(quietFile, path.join(restoreDir, 'syspat.sqlite'));
      const restored = await startChildServer({ ...env, DATA_DIR: restoreDir });
      children.push(restored);
      const restoredExports = await Promise.all(docIds.map((id) => exportOf(restored.url, id)));
      expect(restoredExports).toEqual(liveExports);
      for (let n = 0; n < writers.length; n++) {
        expect(
          markersIn(restoredExports[n === 2 ? 1 : 0]!).filter((m) => m.startsWith(`w${n}`)),
        ).toHaveLength(counts[n]!);
      }
      // a backup never overwrites an existing file
      const again = await runBackupCli(env.DATA_DIR!, quietFile);
      expect(again.code).toBe(1);
      expect(again.out).toMatch(/exists/);
      console.log(
        `R50: ${ackedBefore.length} acked before the backup, ${sentDuring} edits sent during it, ` +
          `backup ${backupMs} ms (${mid.out.trim()})`,
      );
    } finally {
      timers.forEach(clearInterval);
      for (const c of [...writers, ...observers]) c.provider.destroy();
      await sleep(10);
    }
  }, 120_000); // three child servers and four clients: measured 72 s on a loaded 2-core machine
});
