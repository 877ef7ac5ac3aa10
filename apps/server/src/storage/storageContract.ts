import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WriterView, buildMeta, initialState, readStore } from './contractViews.ts';
import type { Storage } from './Storage.ts';

/** One backing store (a database file, a Postgres schema) that adapter instances open. */
export interface StorageHarness {
  /** A new adapter instance on this store; two of them are two servers sharing a database. */
  open(): Promise<Storage>;
  /** Opens the copy a `backup` wrote, as a store of its own. */
  openBackup(file: string): Promise<Storage>;
  /** Removes the store (its instances are closed already). */
  destroy(): Promise<void>;
}

const bytes = (...values: number[]) => new Uint8Array(values);

/** Not a Yjs update: it declares far more structs than it holds (as in yjs limits tests). */
const CORRUPT_ROW = bytes(0, 1, 35, 0, 0, 0, 1, 2, 129, 0, 0, 16, 0, 199, 220, 0, 196, 122);

/** A fresh temporary directory for a harness; removed by `destroy`. */
export function contractTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'syspat-contract-'));
}

/**
 * The guarantees every storage adapter gives, as a test suite: `SqliteStorage.contract.test.ts`
 * runs it for SQLite, and a Postgres adapter calls it the same way. Case numbers are those of
 * docs/reliability.md.
 */
export function describeStorageContract(
  name: string,
  makeHarness: () => Promise<StorageHarness>,
): void {
  describe(`storage contract: ${name}`, () => {
    let harness: StorageHarness | undefined;
    const opened: Storage[] = [];
    const open = async (): Promise<Storage> => {
      harness ??= await makeHarness();
      const storage = await harness.open();
      opened.push(storage);
      return storage;
    };
    afterEach(async () => {
      for (const storage of opened.splice(0)) await storage.close();
      await harness?.destroy();
      harness = undefined;
    });

    it('creates a document and loads its metadata and initial state', async () => {
      const storage = await open();
      await storage.createDoc(buildMeta({ title: 'Créé' }), initialState('hello'));
      expect(await storage.getDocMeta('doc1')).toEqual(buildMeta({ title: 'Créé' }));
      const { doc } = await readStore(storage, 'doc1');
      expect(doc.getText('t').toJSON()).toBe('hello');
      expect(await storage.getDocMeta('missing')).toBeUndefined();
      expect(await storage.loadDoc('missing')).toBeUndefined();
    });

    it('refuses a second document with an id in use and keeps the first', async () => {
      const storage = await open();
      await storage.createDoc(buildMeta(), initialState('first'));
      await expect(
        storage.createDoc(buildMeta({ title: 'Other' }), initialState('second')),
      ).rejects.toThrow();
      expect((await storage.getDocMeta('doc1'))?.title).toBe('Doc');
      expect((await readStore(storage, 'doc1')).doc.getText('t').toJSON()).toBe('first');
    });

    it('lists documents most recently changed first; an append and a rename count as a change', async () => {
      const storage = await open();
      for (const [id, at] of [
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ] as const)
        await storage.createDoc(buildMeta({ id, createdAt: at, updatedAt: at }), initialState(''));
      expect((await storage.listDocs()).map((d) => d.id)).toEqual(['c', 'b', 'a']);
      await storage.appendUpdates([{ docId: 'a', updates: [initialState('x')] }], 10);
      expect((await storage.listDocs()).map((d) => d.id)).toEqual(['a', 'c', 'b']);
      expect(await storage.renameDoc('b', 'Renamed', 20)).toMatchObject({
        id: 'b',
        title: 'Renamed',
        createdAt: 2,
        updatedAt: 20,
      });
      expect((await storage.listDocs()).map((d) => d.id)).toEqual(['b', 'a', 'c']);
      expect(await storage.renameDoc('missing', 'x', 30)).toBeUndefined();
    });

    it('deletes a document with its snapshot and log, and only that one', async () => {
      const storage = await open();
      await storage.createDoc(buildMeta({ id: 'gone' }), initialState('bye'));
      await storage.createDoc(buildMeta({ id: 'kept' }), initialState('stay'));
      await storage.appendUpdates([{ docId: 'gone', updates: [initialState('more')] }], 2000);
      expect(await storage.deleteDoc('gone')).toBe(true);
      expect(await storage.deleteDoc('gone')).toBe(false);
      expect(await storage.loadDoc('gone')).toBeUndefined();
      expect(
        await storage.appendUpdates([{ docId: 'gone', updates: [bytes(0, 0)] }], 3000),
      ).toEqual(new Map());
      expect((await storage.listDocs()).map((d) => d.id)).toEqual(['kept']);
      expect((await readStore(storage, 'kept')).doc.getText('t').toJSON()).toBe('stay');
    });

    it('appends several documents in one call, in order, and drops updates of unknown documents', async () => {
      const storage = await open();
      await storage.createDoc(buildMeta({ id: 'a' }), initialState(''));
      await storage.createDoc(buildMeta({ id: 'b' }), initialState(''));
      const seqs = await storage.appendUpdates(
        [
          { docId: 'a', updates: [bytes(1), bytes(2)] },
          { docId: 'nobody', updates: [bytes(3)] },
          { docId: 'b', updates: [bytes(4)] },
        ],
        5000,
      );
      expect([...seqs.keys()].sort()).toEqual(['a', 'b']);
      const a = await storage.loadDoc('a');
      expect(a?.updates).toEqual([bytes(1), bytes(2)]);
      expect(a?.lastSeq).toBe(seqs.get('a'));
      expect(a?.meta.updatedAt).toBe(5000);
      expect(a?.storedBytes).toBe((a?.snapshot?.byteLength ?? 0) + 2);
      // sequence numbers rise per document (an adapter may number each document on its own)
      expect((await storage.loadDoc('b'))?.lastSeq).toBe(seqs.get('b'));
      const again = await storage.appendUpdates([{ docId: 'a', updates: [bytes(5)] }], 6000);
      expect(again.get('a')!).toBeGreaterThan(seqs.get('a')!);
    });

    it('compaction replaces the log up to uptoSeq by the snapshot and keeps later rows (R43)', async () => {
      const storage = await open();
      await storage.createDoc(buildMeta(), initialState('base '));
      const writer = new WriterView(storage, 'doc1');
      await writer.load();
      for (let n = 0; n < 5; n++) await writer.write(`w${n} `);
      const late = new WriterView(storage, 'doc1');
      await late.load();
      const upto = writer.lastSeq;
      await late.write('late ');
      expect(await writer.compact()).toMatchObject({ removedRows: 5, keptRows: 0 });
      const stored = await storage.loadDoc('doc1');
      expect(stored?.updates).toHaveLength(1);
      expect(stored?.lastSeq).toBeGreaterThan(upto);
      const { doc } = await readStore(storage, 'doc1');
      expect(doc.getText('t').toJSON()).toBe('base w0 w1 w2 w3 w4 late ');
    });

    it('keeps everything across closing and reopening', async () => {
      const storage = await open();
      await storage.createDoc(buildMeta(), initialState('a'));
      await storage.appendUpdates([{ docId: 'doc1', updates: [bytes(7)] }], 2000);
      await storage.close();
      expect(await storage.ping()).toBe(false);
      const again = await open();
      expect(await again.ping()).toBe(true);
      expect((await again.loadDoc('doc1'))?.updates).toEqual([bytes(7)]);
    });

    it('returns a corrupt row verbatim, never compacts it away, and serves other documents (R5)', async () => {
      const first = await open();
      const second = await open();
      await first.createDoc(buildMeta({ id: 'broken' }), initialState('precious'));
      await first.createDoc(buildMeta({ id: 'healthy' }), initialState('fine'));
      await second.appendUpdates([{ docId: 'broken', updates: [CORRUPT_ROW] }], 2000);
      // a writer that loaded the document before the corrupt row arrived
      const view = new WriterView(first, 'broken');
      const loaded = await first.loadDoc('broken');
      Y.applyUpdate(view.doc, loaded!.snapshot!);
      await view.write('!');
      expect(await view.compact()).toMatchObject({ keptRows: 1 });
      const stored = await first.loadDoc('broken');
      expect(stored?.updates.map((u) => Array.from(u))).toContainEqual(Array.from(CORRUPT_ROW));
      expect((await readStore(second, 'healthy')).doc.getText('t').toJSON()).toBe('fine');
      expect(await second.deleteDoc('broken')).toBe(true);
      expect(await first.loadDoc('broken')).toBeUndefined();
    });

    it('refuses a compaction whose snapshot is not an update when other rows are at stake, changing nothing', async () => {
      const first = await open();
      const second = await open();
      await first.createDoc(buildMeta(), initialState('a'));
      const other = new WriterView(second, 'doc1');
      await other.load();
      await other.write('b');
      // `first` never loaded the document: the other writer's row is at stake
      const before = await second.loadDoc('doc1');
      await expect(first.compact('doc1', CORRUPT_ROW, before!.lastSeq)).rejects.toThrow(
        /not a well-formed Yjs update/,
      );
      expect(await second.loadDoc('doc1')).toEqual(before);
    });

    it('two writers on one document lose none of each other\u2019s updates, whatever the interleaving (R42, R43)', async () => {
      const first = await open();
      const second = await open();
      let round = 0;
      const step = fc.record({
        writer: fc.integer({ min: 0, max: 1 }),
        action: fc.constantFrom('write', 'write', 'erase', 'compact', 'load'),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
          const docId = `d${round++}`;
          await first.createDoc(buildMeta({ id: docId }), initialState(''));
          const views = [new WriterView(first, docId), new WriterView(second, docId)] as const;
          for (const view of views) await view.load();
          const written: string[] = [];
          let erased = 0;
          for (const [n, { writer, action }] of steps.entries()) {
            const view = views[writer]!;
            if (action === 'write') {
              const marker = `<${writer}:${n}>`;
              written.push(marker);
              await view.write(marker);
            } else if (action === 'erase' && view.text().length > 0) {
              erased += 1;
              await view.erase(1);
            } else if (action === 'compact') await view.compact();
            else if (action === 'load') await view.load();
          }
          const { doc } = await readStore(second, docId);
          const text = doc.getText('t').toJSON();
          // every marker survives, whole, except for the characters the erasures took
          const kept = written.filter((marker) => text.includes(marker)).length;
          expect(written.length - kept).toBeLessThanOrEqual(erased);
          for (const view of views) {
            const merged = new Y.Doc();
            Y.applyUpdate(merged, Y.encodeStateAsUpdate(doc));
            Y.applyUpdate(merged, Y.encodeStateAsUpdate(view.doc));
            // the store holds all of each writer's view: merging a view in changes nothing
            expect(merged.getText('t').toJSON()).toBe(text);
          }
          // once one writer has seen everything, its compaction empties the log
          await views[0].load();
          expect(await views[0].compact()).toMatchObject({ keptRows: 0 });
          const after = await first.loadDoc(docId);
          expect(after?.updates).toEqual([]);
          expect((await readStore(first, docId)).doc.getText('t').toJSON()).toBe(text);
        }),
        { numRuns: 40 },
      );
    });

    it('backs up a consistent copy that opens as a store, and never overwrites a file (R50)', async () => {
      const storage = await open();
      await storage.createDoc(buildMeta({ id: 'a' }), initialState('alpha'));
      await storage.createDoc(buildMeta({ id: 'b' }), initialState('beta'));
      await storage.appendUpdates([{ docId: 'a', updates: [initialState('!')] }], 3000);
      const dir = contractTempDir();
      try {
        const file = path.join(dir, 'copy', 'backup.db');
        const result = await storage.backup(file);
        expect(result).toMatchObject({ file, docs: 2 });
        expect(result.bytes).toBeGreaterThan(0);
        await expect(storage.backup(file)).rejects.toThrow(/exists/);
        const copy = await harness!.openBackup(file);
        opened.push(copy);
        expect((await copy.listDocs()).map((d) => d.id)).toEqual(['a', 'b']);
        for (const id of ['a', 'b']) {
          expect(await copy.loadDoc(id)).toEqual(await storage.loadDoc(id));
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
