import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DocumentError,
  MODEL_VERSION,
  createDocument,
  createEmptyDocument,
  migrateModel,
  parseDocument,
  sequentialIds,
  type ModelMigration,
} from './index.ts';

/** A document as this version writes it, kept as a file so a change of shape shows up here. */
const fixture: unknown = JSON.parse(
  fs.readFileSync(new URL('./fixtures/model-v1.json', import.meta.url), 'utf8'),
);

const errorOf = (run: () => unknown): DocumentError => {
  try {
    run();
  } catch (err) {
    if (err instanceof DocumentError) return err;
    throw err;
  }
  throw new Error('expected a DocumentError');
};

describe('migrateModel', () => {
  it('returns documents written by this version unchanged, as current', () => {
    for (const written of [
      fixture,
      createDocument(undefined, sequentialIds()),
      createEmptyDocument(),
    ]) {
      const result = migrateModel(written, 'load');
      expect(result).toMatchObject({ from: MODEL_VERSION, status: 'current' });
      expect(result.document).toEqual(written);
    }
  });

  it('refuses a newer version, naming both versions and the fix', () => {
    const err = errorOf(() =>
      migrateModel({ ...(fixture as object), version: MODEL_VERSION + 1 }, 'load'),
    );
    expect(err.code).toBe('NEWER_VERSION');
    expect(err.message).toContain(`model version ${MODEL_VERSION + 1}`);
    expect(err.message).toMatch(/Fix: upgrade syspat/);
  });

  it('runs the migrations in order from an old version, then validates the result', () => {
    // an imagined version 0 that called extra sections "appendix" and had no footer
    const { extraSections, footer: _footer, ...rest } = fixture as Record<string, unknown>;
    const old = { ...rest, version: 0, appendix: extraSections };
    const seen: number[] = [];
    const migrations: ModelMigration[] = [
      {
        from: 0,
        description: 'appendix becomes extraSections; footer added',
        migrate: ({ appendix, ...doc }) => {
          seen.push(0);
          return { ...doc, extraSections: appendix, footer: null };
        },
      },
    ];
    const result = migrateModel(old, 'load', { migrations });
    expect(seen).toEqual([0]);
    expect(result).toMatchObject({ from: 0, status: 'migrated' });
    expect(result.document).toEqual({ ...(fixture as object), footer: null });
  });

  it('says which version it has no migration for', () => {
    const err = errorOf(() =>
      migrateModel({ ...(fixture as object), version: 0 }, 'input', { migrations: [] }),
    );
    expect(err.code).toBe('NO_MIGRATION');
    expect(err.message).toContain('model version 0');
  });

  it('rejects what is not a document, naming the place', () => {
    expect(errorOf(() => migrateModel('text', 'input')).code).toBe('INVALID_DOCUMENT');
    expect(errorOf(() => migrateModel({ title: 'x' }, 'input')).message).toContain('at version');
  });
});

describe('parseDocument', () => {
  it('names the first bad place, how many there are, and the fix for the edge', () => {
    const doc = createDocument(undefined, sequentialIds());
    const broken = { ...doc, intro: 42, footer: 7 };
    const imported = errorOf(() => parseDocument(broken, 'import'));
    expect(imported.code).toBe('INVALID_DOCUMENT');
    expect(imported.issues.map((i) => i.path)).toEqual(['intro', 'footer']);
    expect(imported.message).toMatch(
      /^The document made from the imported markdown is not valid at intro: .*\(and 1 more problems\)\. Fix: this is a bug in the markdown import/,
    );
    expect(errorOf(() => parseDocument(broken, 'load')).message).toMatch(
      /^The stored document is not valid at intro.*Fix: restore the document from a backup/,
    );
  });

  it('returns a valid document as it is', () => {
    expect(parseDocument(fixture, 'load')).toEqual(fixture);
  });
});
