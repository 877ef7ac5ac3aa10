import fs from 'node:fs';
import { createDocument, sequentialIds, type SyspatDocument } from '@syspat/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  LAYOUT_VERSION,
  META_NAME,
  YdocError,
  applyModel,
  documentLayoutStatus,
  migrateDocument,
  patchModel,
  readLayoutVersion,
  readModel,
  type LayoutMigration,
} from './index.ts';

/** A Y.Doc from a fixture file written by us with the code of its name. */
function fixture(name: string): { doc: Y.Doc; model: SyspatDocument } {
  const read = (ext: string) =>
    fs.readFileSync(new URL(`./fixtures/${name}.${ext}`, import.meta.url), 'utf8');
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(read('ydoc.b64').trim(), 'base64'));
  return { doc, model: JSON.parse(read('model.json')) as SyspatDocument };
}

/** Every update `run` makes the document emit. */
function updatesOf(doc: Y.Doc, run: () => void): { update: Uint8Array; origin: unknown }[] {
  const seen: { update: Uint8Array; origin: unknown }[] = [];
  const listener = (update: Uint8Array, origin: unknown) => seen.push({ update, origin });
  doc.on('update', listener);
  try {
    run();
  } finally {
    doc.off('update', listener);
  }
  return seen;
}

/** Imagined layouts 2 and 3, each adding a key to the meta map. */
const fakeMigrations = (log: number[]): LayoutMigration[] =>
  [1, 2].map((from) => ({
    from,
    description: `adds m${from + 1}`,
    migrate: (doc: Y.Doc) => {
      log.push(from);
      doc.getMap(META_NAME).set(`m${from + 1}`, true);
    },
  }));

describe('document layout version', () => {
  it('is written when a document is built, which then opens as current without a write', () => {
    const doc = new Y.Doc();
    applyModel(doc, createDocument(undefined, sequentialIds()));
    expect(doc.getMap(META_NAME).get('schemaVersion')).toBe(LAYOUT_VERSION);
    expect(readLayoutVersion(doc)).toBe(LAYOUT_VERSION);
    expect(documentLayoutStatus(doc)).toBe('current');
    expect(updatesOf(doc, () => expect(migrateDocument(doc)).toBe('current'))).toEqual([]);
  });

  it('opens documents written by this version and by the one before schemaVersion unchanged (R41)', () => {
    for (const name of ['layout1', 'layout1-before-schemaVersion']) {
      const { doc, model } = fixture(name);
      expect(documentLayoutStatus(doc), name).toBe('current');
      expect(
        updatesOf(doc, () => migrateDocument(doc, 'load')),
        name,
      ).toEqual([]);
      expect(readModel(doc), name).toEqual(model);
    }
    expect(readLayoutVersion(fixture('layout1-before-schemaVersion').doc)).toBe(1);
    expect(fixture('layout1').doc.getMap(META_NAME).get('schemaVersion')).toBe(1);
  });

  it('stamps a document from before schemaVersion when it is next patched', () => {
    const { doc, model } = fixture('layout1-before-schemaVersion');
    patchModel(doc, { ...model, title: 'Patched' });
    expect(doc.getMap(META_NAME).get('schemaVersion')).toBe(LAYOUT_VERSION);
    expect(readModel(doc)).toEqual({ ...model, title: 'Patched' });
  });

  it('calls a document of a newer layout newer, migrates nothing, and refuses to patch it (R41)', () => {
    const { doc, model } = fixture('layout1');
    doc.getMap(META_NAME).set('schemaVersion', LAYOUT_VERSION + 1);
    expect(documentLayoutStatus(doc)).toBe('newer');
    const before = Y.encodeStateAsUpdate(doc);
    expect(migrateDocument(doc)).toBe('newer');
    let thrown: unknown;
    try {
      patchModel(doc, { ...model, title: 'Overwritten' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(YdocError);
    expect((thrown as YdocError).code).toBe('NEWER_LAYOUT');
    expect((thrown as YdocError).message).toMatch(/newer syspat .*read-only.*Fix: upgrade syspat/);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('runs the migrations an older document needs, in order, as one update with the origin given', () => {
    const { doc } = fixture('layout1');
    const log: number[] = [];
    const options = { migrations: fakeMigrations(log), target: 3 };
    expect(documentLayoutStatus(doc, options)).toBe('outdated');
    const updates = updatesOf(doc, () =>
      expect(migrateDocument(doc, 'server', options)).toBe('migrated'),
    );
    expect(log).toEqual([1, 2]);
    expect(updates.map((u) => u.origin)).toEqual(['server']);
    expect(doc.getMap(META_NAME).toJSON()).toEqual({ schemaVersion: 3, m2: true, m3: true });
    expect(documentLayoutStatus(doc, options)).toBe('current');
  });

  it('converges when two peers migrate the same document at once', () => {
    const { doc: a } = fixture('layout1');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const options = { migrations: fakeMigrations([]), target: 3 };
    migrateDocument(a, null, options);
    migrateDocument(b, null, options);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(a.getMap(META_NAME).toJSON()).toEqual(b.getMap(META_NAME).toJSON());
    expect(readModel(a)).toEqual(readModel(b));
    expect(readLayoutVersion(a)).toBe(3);
  });

  it('names the layout it has no migration for', () => {
    const { doc } = fixture('layout1');
    expect(() => migrateDocument(doc, null, { migrations: [], target: 2 })).toThrow(
      /No migration from document layout 1/,
    );
  });
});
