import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createDocument, createEmptyDocument, documentSchema } from '@syspat/model';
import { buildFilledDocument } from './buildDocument.ts';
import { getRoot, type YMap } from './layout.ts';
import { readModel } from './readModel.ts';
import { replicaOf } from './syncDocs.ts';
import { applyModel } from './writeModel.ts';

function child(map: YMap, ...keys: string[]): YMap {
  let at: unknown = map;
  for (const key of keys) at = (at as YMap).get(key);
  if (!(at instanceof Y.Map)) throw new Error(`no map at ${keys.join('.')}`);
  return at as YMap;
}

function list(map: YMap, key: string): Y.Array<unknown> {
  const at = map.get(key);
  if (!(at instanceof Y.Array)) throw new Error(`no list at ${key}`);
  return at as Y.Array<unknown>;
}

describe('readModel', () => {
  it('reads an empty Y.Doc as the empty document', () => {
    const read = readModel(new Y.Doc());
    expect(read).toEqual(createEmptyDocument());
    expect(documentSchema.safeParse(read).success).toBe(true);
  });

  it('returns documents that pass the schema', () => {
    for (const model of [createDocument(), createEmptyDocument(), buildFilledDocument()]) {
      const doc = new Y.Doc();
      applyModel(doc, model);
      expect(documentSchema.safeParse(readModel(doc)).error).toBeUndefined();
    }
  });

  it('reads a document left odd by foreign or concurrent writes as a valid document, the same on every replica', () => {
    const doc = new Y.Doc();
    applyModel(doc, buildFilledDocument());
    const root = getRoot(doc);
    doc.transact(() => {
      root.set('intro', 42);
      root.set('title', 'plain string title');
      const components = child(root, 'sections', 'components');
      components.delete('notes');
      const cards = list(child(components, 'blocks', 'cards'), 'cards');
      const first = cards.get(0) as YMap;
      first.delete('id');
      first.delete('title');
      first.set('order', 'not a key!');
      (first.get('fields') as YMap).set('unknownField', new Y.Text('x'));
      (first.get('fields') as YMap).set('purpose', 7);
      cards.push(['junk', 12]);
      cards.push([new Y.Map()]);
      const extra = list(root, 'extraSections');
      (extra.get(0) as YMap).set('depth', 9);
      (extra.get(0) as YMap).set('after', 'no-such-section');
      child(root, 'sections', 'data', 'blocks', 'storage').delete('notes');
      const rows = list(child(root, 'sections', 'data', 'blocks', 'storage', 'table'), 'rows');
      (rows.get(0) as YMap).delete('cells');
      child(root, 'sections', 'architecture', 'blocks').set('style', new Y.Map());
      child(root, 'sections').set('security', 'not a map');
    });
    const read = readModel(doc);
    expect(documentSchema.safeParse(read).error).toBeUndefined();
    expect(read.intro).toBe('');
    expect(read.title).toBe('plain string title');
    expect(read.sections.security).toBeNull();
    expect(read.extraSections[0]).toMatchObject({ depth: 2, after: null });
    const cards = read.sections.components?.blocks.cards;
    // Entries without a usable order key come first, in Y.Array order; junk is skipped.
    const ids = cards?.kind === 'cards' ? cards.cards.map((c) => c.id) : [];
    expect(ids.slice(0, 2)).toEqual(['missing-0', 'missing-1']);
    expect(ids).toHaveLength(4);
    expect(cards?.kind === 'cards' && cards.cards[0]?.fields).not.toHaveProperty('unknownField');
    expect(read.sections.architecture?.blocks.style).toEqual({
      kind: 'fields',
      notes: '',
      fields: {},
      extraFields: [],
    });
    expect(readModel(doc)).toEqual(read);
    expect(readModel(replicaOf(doc))).toEqual(read);
  });

  it('shows list entries by order key, not by place in the Y.Array', () => {
    const doc = new Y.Doc();
    applyModel(doc, buildFilledDocument());
    const items = list(
      child(getRoot(doc), 'sections', 'integration', 'blocks', 'apiPrinciples'),
      'items',
    );
    const [a, b] = items.toArray() as YMap[];
    doc.transact(() => {
      const orderA = a?.get('order');
      a?.set('order', b?.get('order'));
      b?.set('order', orderA);
    });
    const block = readModel(doc).sections.integration?.blocks.apiPrinciples;
    expect(block?.kind === 'list' && block.items?.map((i) => i.text)).toEqual([
      'Versioned under `/v1`',
      'REST, JSON, `snake_case`',
    ]);
  });
});
