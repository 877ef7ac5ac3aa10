import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStorage } from './SqliteStorage.ts';

const buildMeta = (
  overrides: Partial<{ id: string; title: string; createdAt: number; updatedAt: number }> = {},
) => ({
  id: 'doc1',
  title: 'Doc',
  createdAt: 1000,
  updatedAt: 1000,
  ...overrides,
});

describe('SqliteStorage', () => {
  const dirs: string[] = [];
  const open = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syspat-sqlite-'));
    dirs.push(dir);
    return new SqliteStorage(dir);
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode with synchronous=FULL', async () => {
    const storage = open();
    expect(storage.settings()).toEqual({ journalMode: 'wal', synchronous: 2 });
    const db = new Database(storage.file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await storage.close();
  });

  it('creates, lists by last change, renames and deletes documents', async () => {
    const storage = open();
    await storage.createDoc(buildMeta({ id: 'a', updatedAt: 1 }), new Uint8Array([0, 0]));
    await storage.createDoc(buildMeta({ id: 'b', updatedAt: 2 }), new Uint8Array([0, 0]));
    expect((await storage.listDocs()).map((d) => d.id)).toEqual(['b', 'a']);
    expect(await storage.renameDoc('a', 'Renamed', 3)).toMatchObject({
      id: 'a',
      title: 'Renamed',
      updatedAt: 3,
    });
    expect((await storage.listDocs()).map((d) => d.id)).toEqual(['a', 'b']);
    expect(await storage.renameDoc('missing', 'x', 4)).toBeUndefined();
    expect(await storage.deleteDoc('a')).toBe(true);
    expect(await storage.deleteDoc('a')).toBe(false);
    expect(await storage.loadDoc('a')).toBeUndefined();
    await storage.close();
  });

  it('appends updates in one transaction, bumps updatedAt, and loads snapshot plus tail', async () => {
    const storage = open();
    await storage.createDoc(buildMeta(), new Uint8Array([9]));
    const seqs = await storage.appendUpdates(
      [
        { docId: 'doc1', updates: [new Uint8Array([1]), new Uint8Array([2])] },
        { docId: 'gone', updates: [new Uint8Array([3])] },
      ],
      5000,
    );
    expect([...seqs.keys()]).toEqual(['doc1']);
    const loaded = await storage.loadDoc('doc1');
    expect(loaded).toMatchObject({
      snapshot: new Uint8Array([9]),
      lastSeq: seqs.get('doc1'),
      storedBytes: 3,
    });
    expect(loaded!.updates).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
    expect(loaded!.meta.updatedAt).toBe(5000);

    await storage.compact('doc1', new Uint8Array([7, 7]), seqs.get('doc1')!);
    await storage.appendUpdates([{ docId: 'doc1', updates: [new Uint8Array([4])] }], 6000);
    const compacted = await storage.loadDoc('doc1');
    expect(compacted!.snapshot).toEqual(new Uint8Array([7, 7]));
    expect(compacted!.updates).toEqual([new Uint8Array([4])]);
    await storage.close();
  });

  it('can trade power-loss durability for commit latency with synchronous=normal', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syspat-sqlite-'));
    dirs.push(dir);
    const storage = new SqliteStorage(dir, { synchronous: 'normal' });
    expect(storage.settings()).toEqual({ journalMode: 'wal', synchronous: 1 });
    await storage.close();
  });

  it('keeps its data across reopening', async () => {
    const storage = open();
    await storage.createDoc(buildMeta(), new Uint8Array([1]));
    await storage.appendUpdates([{ docId: 'doc1', updates: [new Uint8Array([2])] }], 2000);
    await storage.close();
    const again = new SqliteStorage(path.dirname(storage.file));
    expect((await again.loadDoc('doc1'))!.updates).toEqual([new Uint8Array([2])]);
    expect(await again.ping()).toBe(true);
    await again.close();
    expect(await again.ping()).toBe(false);
  });
});
