import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
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

describe('SqliteStorage schema', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A database as the server before schema 2 wrote it: no writer marks. */
  function schemaOneDatabase(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syspat-sqlite-'));
    dirs.push(dir);
    const db = new Database(path.join(dir, 'syspat.sqlite'));
    db.exec(`
      CREATE TABLE docs (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL) STRICT;
      CREATE TABLE snapshots (doc_id TEXT PRIMARY KEY, data BLOB NOT NULL,
        upto_seq INTEGER NOT NULL) STRICT;
      CREATE TABLE updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL,
        data BLOB NOT NULL) STRICT;
      INSERT INTO docs VALUES ('old', 'Old', 1, 2);
      PRAGMA user_version = 1;
    `);
    const base = new Y.Doc();
    base.getText('t').insert(0, 'written by schema 1');
    db.prepare('INSERT INTO snapshots VALUES (?, ?, 0)').run('old', Y.encodeStateAsUpdate(base));
    const before = Y.encodeStateVector(base);
    base.getText('t').insert(0, '> ');
    db.prepare('INSERT INTO updates (doc_id, data) VALUES (?, ?)').run(
      'old',
      Y.encodeStateAsUpdate(base, before),
    );
    db.close();
    return dir;
  }

  it('upgrades a schema 1 database in place, and its rows load and compact as before', async () => {
    const dir = schemaOneDatabase();
    const storage = new SqliteStorage(dir);
    const db = new Database(storage.file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
    const stored = await storage.loadDoc('old');
    expect(stored?.meta).toEqual({ id: 'old', title: 'Old', createdAt: 1, updatedAt: 2 });
    const doc = new Y.Doc();
    for (const row of [stored!.snapshot!, ...stored!.updates]) Y.applyUpdate(doc, row);
    expect(doc.getText('t').toJSON()).toBe('> written by schema 1');
    // rows of unknown writers are dropped only when the snapshot holds them
    expect(await storage.compact('old', Y.encodeStateAsUpdate(doc), stored!.lastSeq)).toEqual({
      removedRows: 1,
      keptRows: 0,
    });
    expect((await storage.loadDoc('old'))?.updates).toEqual([]);
    await storage.close();
  });

  it('refuses a database of a newer schema, saying what to do', () => {
    const dir = schemaOneDatabase();
    const db = new Database(path.join(dir, 'syspat.sqlite'));
    db.pragma('user_version = 99');
    db.close();
    expect(() => new SqliteStorage(dir)).toThrow(/schema version 99, newer .*upgrade syspat/);
  });
});
