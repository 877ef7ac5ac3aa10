import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createDocument, documentSchema, type SyspatDocument } from '@syspat/model';
import { buildFilledDocument } from './buildDocument.ts';
import {
  blockPath,
  cardPath,
  getBlockMap,
  getCardArray,
  getList,
  getSectionMap,
  getText,
  insertCard,
  insertEntry,
  insertItem,
  insertRow,
  moveCard,
  moveEntry,
  orderedEntries,
  removeCard,
  removeEntry,
  setText,
} from './editing.ts';
import { YdocError } from './errors.ts';
import { readModel } from './readModel.ts';
import { measureChange } from './syncDocs.ts';
import { applyModel } from './writeModel.ts';

function docOf(model: SyspatDocument = buildFilledDocument()): Y.Doc {
  const doc = new Y.Doc();
  applyModel(doc, model);
  return doc;
}

function cardIds(doc: Y.Doc, sectionId = 'components'): string[] {
  const block = readModel(doc).sections[sectionId]?.blocks.cards;
  return block?.kind === 'cards' ? block.cards.map((c) => c.id) : [];
}

describe('editing helpers', () => {
  it('find the Y.Text of any typed value by its model path', () => {
    const model = buildFilledDocument();
    const doc = docOf(model);
    const [cardId] = cardIds(doc);
    expect(getText(doc, ['title'])?.toJSON()).toBe(model.title);
    expect(
      getText(doc, [...cardPath('components', cardId ?? ''), 'fields', 'purpose'])?.toJSON(),
    ).toBe('Receives events for shard 1 and normalises them');
    const storage = model.sections.data?.blocks.storage;
    const rowId = storage?.kind === 'table' ? storage.table?.rows[0]?.id : undefined;
    expect(
      getText(doc, [
        ...blockPath('data', 'storage'),
        'table',
        'rows',
        rowId ?? '',
        'cells',
        'rationale',
      ])?.toJSON(),
    ).toBe('ACID | joins');
    expect(
      getText(doc, [...blockPath('architecture', 'highLevel'), 'diagram', 'code'])?.toJSON(),
    ).toContain('graph TD');
    expect(
      getText(doc, [...cardPath('components', cardId ?? ''), 'fields', 'interfaces']),
    ).toBeNull();
    expect(getText(doc, ['sections', 'security', 'notes'])).toBeNull();
    expect(getSectionMap(doc, 'components')).toBeInstanceOf(Y.Map);
    expect(getSectionMap(doc, 'security')).toBeNull();
    expect(getBlockMap(doc, 'data', 'flow')).toBeNull();
    expect(getCardArray(doc, 'components')?.length).toBe(3);
  });

  it('set a text by a minimal diff, create a missing field, and remove one with null', () => {
    const doc = docOf();
    const [cardId] = cardIds(doc);
    const interfaces = [...cardPath('components', cardId ?? ''), 'fields', 'interfaces'];
    setText(doc, interfaces, 'REST');
    expect(getText(doc, interfaces)?.toJSON()).toBe('REST');
    const before = getText(doc, interfaces);
    setText(doc, interfaces, 'REST and gRPC');
    expect(getText(doc, interfaces)).toBe(before);
    setText(doc, interfaces, null);
    const card = readModel(doc).sections.components?.blocks.cards;
    expect(card?.kind === 'cards' && card.cards[0]?.fields).not.toHaveProperty('interfaces');
    expect(() => setText(doc, ['sections', 'security', 'notes'], 'x')).toThrow(YdocError);
  });

  it('add, move and remove cards, each in one update', () => {
    const doc = docOf();
    const [a, b, c] = cardIds(doc);
    let card = insertCard(doc, 'components');
    expect(cardIds(doc)).toEqual([a, b, c, card.id]);
    expect(
      measureChange(doc, () => (card = insertCard(doc, 'components', { index: 0, origin: 'me' })))
        .updates,
    ).toBe(1);
    expect(cardIds(doc)).toEqual([card.id, a, b, c, expect.any(String)]);
    expect(measureChange(doc, () => moveCard(doc, 'components', card.id, 2)).updates).toBe(1);
    expect(cardIds(doc).slice(0, 3)).toEqual([a, b, card.id]);
    expect(removeCard(doc, 'components', card.id)).toBe(true);
    expect(removeCard(doc, 'components', card.id)).toBe(false);
    expect(cardIds(doc)).toHaveLength(4);
    const added = readModel(doc).sections.components?.blocks.cards;
    expect(added?.kind === 'cards' && added.cards[3]).toMatchObject({
      title: '',
      fields: { purpose: '', location: '' },
      steps: null,
    });
  });

  it('move an entry to the place asked for, counted without it', () => {
    const doc = docOf();
    const [a, b, c] = cardIds(doc);
    const path = [...blockPath('components', 'cards'), 'cards'] as const;
    moveEntry(doc, path, a ?? '', 2);
    expect(cardIds(doc)).toEqual([b, c, a]);
    moveEntry(doc, path, a ?? '', 0);
    expect(cardIds(doc)).toEqual([a, b, c]);
    moveEntry(doc, path, c ?? '', 1);
    expect(cardIds(doc)).toEqual([a, c, b]);
    expect(moveEntry(doc, path, 'nope', 0)).toBe(false);
    expect(getCardArray(doc, 'components')?.length).toBe(3);
  });

  it('add rows, steps, list items and extra fields with the model’s factories', () => {
    const doc = docOf();
    const row = insertRow(doc, 'data', 'storage', { index: 0 });
    const [checkout] = cardIds(doc, 'paths');
    const stepsPath = [...cardPath('paths', checkout ?? ''), 'steps'] as const;
    const step = insertItem(doc, stepsPath, { text: 'Fraud check', index: 1 });
    const item = insertItem(doc, [...blockPath('integration', 'apiPrinciples'), 'items'], {
      text: 'Idempotent writes',
    });
    insertEntry(
      doc,
      [...blockPath('architecture', 'style'), 'extraFields'],
      { id: 'xf', label: 'Since', value: '2021' },
      { index: 0 },
    );
    const read = readModel(doc);
    expect(documentSchema.safeParse(read).error).toBeUndefined();
    const storage = read.sections.data?.blocks.storage;
    expect(storage?.kind === 'table' && storage.table?.rows[0]).toEqual(row);
    const paths = read.sections.paths?.blocks.cards;
    expect(paths?.kind === 'cards' && paths.cards[0]?.steps?.map((s) => s.text)).toEqual([
      'User submits cart',
      'Fraud check',
      'API reserves stock',
      'Payment captured',
    ]);
    expect(paths?.kind === 'cards' && paths.cards[0]?.steps?.[1]).toEqual(step);
    const list = read.sections.integration?.blocks.apiPrinciples;
    expect(list?.kind === 'list' && list.items?.at(-1)).toEqual(item);
    const style = read.sections.architecture?.blocks.style;
    expect(style?.kind === 'fields' && style.extraFields.map((f) => f.label)).toEqual([
      'Since',
      'Status',
    ]);
    expect(removeEntry(doc, stepsPath, step.id)).toBe(true);
  });

  it('create a list that is null when its first entry is added', () => {
    const doc = docOf();
    const [, , legacy] = cardIds(doc, 'paths');
    insertItem(doc, [...cardPath('paths', legacy ?? ''), 'steps'], { text: 'Only step' });
    const paths = readModel(doc).sections.paths?.blocks.cards;
    expect(paths?.kind === 'cards' && paths.cards[2]?.steps?.map((s) => s.text)).toEqual([
      'Only step',
    ]);
  });

  it('refuse paths that lead nowhere or do not end in a list, with a code', () => {
    const doc = docOf(createDocument());
    expect(() => insertRow(doc, 'security', 'layers')).toThrow(
      expect.objectContaining({ code: 'PATH_NOT_FOUND' }) as Error,
    );
    expect(() => insertCard(doc, 'architecture')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_SECTION' }) as Error,
    );
    expect(() =>
      insertEntry(
        doc,
        ['sections', 'components', 'notes'] as unknown as readonly ['cards'],
        createDocumentCard(),
      ),
    ).toThrow(expect.objectContaining({ code: 'NOT_A_LIST' }) as Error);
    expect(getList(doc, ['sections', 'nope', 'cards'])).toBeNull();
  });

  it('list entries in display order, which is not the Y.Array order after a move', () => {
    const doc = docOf();
    const [a, b, c] = cardIds(doc);
    moveCard(doc, 'components', c ?? '', 0);
    const list = getCardArray(doc, 'components');
    expect(list?.toArray().map((m) => (m as Y.Map<unknown>).get('id'))).toEqual([a, b, c]);
    expect(orderedEntries(list ?? new Y.Array()).map((m) => m.get('id'))).toEqual([c, a, b]);
  });
});

function createDocumentCard() {
  return { id: 'c', title: '', notes: '', fields: {}, extraFields: [], steps: null };
}
