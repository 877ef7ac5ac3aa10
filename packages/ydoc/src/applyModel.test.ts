import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createDocument, createEmptyDocument, documentSchema, sequentialIds } from '@syspat/model';
import { buildFilledDocument, buildLargeDocument } from './buildDocument.ts';
import { YdocError } from './errors.ts';
import { getRoot } from './layout.ts';
import { readModel } from './readModel.ts';
import { measureChange, replicaOf } from './syncDocs.ts';
import { applyModel } from './writeModel.ts';

function docOf(model = createDocument()): Y.Doc {
  const doc = new Y.Doc();
  applyModel(doc, model);
  return doc;
}

/** Every value below the root that is a plain string, with its key path. */
function plainStrings(value: unknown, path: string[] = []): string[] {
  if (value instanceof Y.Map) {
    return [...(value as Y.Map<unknown>).entries()].flatMap(([key, child]) =>
      typeof child === 'string' ? [[...path, key].join('.')] : plainStrings(child, [...path, key]),
    );
  }
  if (value instanceof Y.Array)
    return (value as Y.Array<unknown>)
      .toArray()
      .flatMap((child, i) => plainStrings(child, [...path, String(i)]));
  return [];
}

describe('applyModel', () => {
  it('round-trips the unfilled template', () => {
    const model = createDocument();
    expect(readModel(docOf(model))).toEqual(model);
  });

  it('round-trips a document that uses every part of the model', () => {
    const model = buildFilledDocument();
    const read = readModel(docOf(model));
    expect(read).toEqual(model);
    expect(documentSchema.safeParse(read).success).toBe(true);
  });

  it('round-trips through a replica that only saw the encoded update', () => {
    const model = buildFilledDocument();
    expect(readModel(replicaOf(docOf(model)))).toEqual(model);
  });

  it('keeps null apart from empty: lists, steps, tables, diagrams, sections, fields, cells', () => {
    const read = readModel(docOf(buildFilledDocument()));
    const paths = read.sections.paths?.blocks.cards;
    expect(paths?.kind === 'cards' && paths.cards.map((c) => c.steps?.length ?? null)).toEqual([
      3,
      0,
      null,
    ]);
    expect(read.sections.security).toBeNull();
    expect(read.sections.data?.blocks.flow).toBeNull();
    const external = read.sections.integration?.blocks.external;
    expect(external?.kind === 'table' && external.table).toBeNull();
    const style = read.sections.architecture?.blocks.style;
    expect(style?.kind === 'fields' && Object.keys(style.fields)).toEqual(['pattern', 'rationale']);
    const storage = read.sections.data?.blocks.storage;
    expect(
      storage?.kind === 'table' && storage.table?.rows.map((r) => Object.keys(r.cells).length),
    ).toEqual([4, 2, 0]);
    const empty = readModel(docOf(createEmptyDocument()));
    expect(empty).toEqual(createEmptyDocument());
  });

  it('stores every typed string as a Y.Text; only ids, order keys, kinds and references are plain', () => {
    const doc = docOf(buildFilledDocument());
    const plain = plainStrings(getRoot(doc)).map((path) => path.split('.').pop());
    expect(new Set(plain)).toEqual(new Set(['id', 'order', 'kind', 'after']));
  });

  it('writes the whole document as one update', () => {
    const doc = new Y.Doc();
    expect(measureChange(doc, () => applyModel(doc, buildFilledDocument())).updates).toBe(1);
  });

  it('tags the transaction with the given origin', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    applyModel(doc, createDocument(), 'import');
    expect(origins).toEqual(['import']);
  });

  it('refuses a Y.Doc that already holds a document', () => {
    const doc = docOf();
    expect(() => applyModel(doc, createDocument())).toThrow(YdocError);
    try {
      applyModel(doc, createDocument());
    } catch (error) {
      expect(error instanceof YdocError && error.code).toBe('DOC_NOT_EMPTY');
    }
  });

  it('round-trips a generated 500-component document', () => {
    const model = buildLargeDocument(500, sequentialIds('big'));
    expect(readModel(docOf(model))).toEqual(model);
  });
});
