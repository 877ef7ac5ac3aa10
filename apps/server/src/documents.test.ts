import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createDocument, sequentialIds } from '@syspat/model';
import { META_NAME, applyModel } from '@syspat/ydoc';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  assertEditable,
  checkedDocument,
  exportMarkdown,
  importMarkdown,
  migrateLoadedDocument,
} from './documents.ts';
import { AppError } from './errors.ts';

const corpusDir = new URL('../../../../shared/corpus/', import.meta.url);
const corpus = existsSync(corpusDir)
  ? readdirSync(corpusDir).filter((name) => name.endsWith('.md'))
  : [];

const appErrorOf = (run: () => unknown): AppError => {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
};

const silentLog = () => {
  const lines: string[] = [];
  const record = (...args: unknown[]) => void lines.push(String(args.at(-1)));
  return { lines, log: { info: record, warn: record, error: record } };
};

describe('the document edges', () => {
  it.skipIf(corpus.length === 0)(
    'imports every corpus file into a document that passes the schema',
    () => {
      for (const name of corpus) {
        const markdown = readFileSync(new URL(name, corpusDir), 'utf8');
        expect(() => importMarkdown(markdown), name).not.toThrow();
      }
    },
  );

  it('refuses an imported model that fails the schema with 422, naming the place', () => {
    const broken = { ...createDocument(undefined, sequentialIds()), intro: null };
    const err = appErrorOf(() => checkedDocument(broken, 'import'));
    expect(err).toMatchObject({ statusCode: 422, code: 'invalid_document' });
    expect(err.message).toMatch(/imported markdown is not valid at intro: .*Fix: /);
  });

  it('refuses to export a stored document that reads as an invalid model, with 500 and the fix', () => {
    const err = appErrorOf(() => checkedDocument({ version: 1 }, 'load'));
    expect(err).toMatchObject({ statusCode: 500, code: 'invalid_stored_document' });
    expect(err.message).toMatch(
      /^The stored document is not valid .*restore the document from a backup/,
    );
  });

  it('exports a document of a newer layout for reading but refuses to change it (409)', () => {
    const doc = new Y.Doc();
    applyModel(doc, createDocument(undefined, sequentialIds()));
    expect(() => assertEditable(doc)).not.toThrow();
    doc.getMap(META_NAME).set('schemaVersion', 99);
    expect(exportMarkdown(doc).startsWith('# System Patterns\n')).toBe(true);
    expect(appErrorOf(() => assertEditable(doc))).toMatchObject({
      statusCode: 409,
      code: 'document_too_new',
    });
  });

  it('migrates a loaded document without writing when it is current, and only logs a newer one', () => {
    const doc = new Y.Doc();
    applyModel(doc, createDocument(undefined, sequentialIds()));
    const updates: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => updates.push(origin));
    const { lines, log } = silentLog();
    expect(migrateLoadedDocument(doc, 'server', log)).toBe('current');
    doc.getMap(META_NAME).set('schemaVersion', 99);
    updates.length = 0;
    expect(migrateLoadedDocument(doc, 'server', log)).toBe('newer');
    expect(updates).toEqual([]);
    expect(lines).toEqual(['document written by a newer syspat; this server will not change it']);
  });
});
