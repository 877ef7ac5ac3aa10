import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { documentSchema, type SyspatDocument } from '@syspat/model';
import { buildFilledDocument } from './buildDocument.ts';
import {
  cardPath,
  getCardArray,
  getText,
  insertCard,
  moveCard,
  orderedEntries,
  removeCard,
} from './editing.ts';
import { cardsOf, editModel } from './editModel.ts';
import { patchModel } from './patchModel.ts';
import { readModel } from './readModel.ts';
import { replicaOf, syncDocs } from './syncDocs.ts';
import { applyModel } from './writeModel.ts';

/** Two synced replicas of one document, as two browsers connected to one room. */
function twoClients(model: SyspatDocument = buildFilledDocument()): {
  a: Y.Doc;
  b: Y.Doc;
  model: SyspatDocument;
} {
  const a = new Y.Doc();
  applyModel(a, model);
  return { a, b: replicaOf(a), model };
}

function cardIds(model: SyspatDocument, sectionId = 'components'): string[] {
  const block = model.sections[sectionId]?.blocks.cards;
  return block?.kind === 'cards' ? block.cards.map((c) => c.id) : [];
}

function cardTitles(model: SyspatDocument, sectionId = 'components'): string[] {
  const block = model.sections[sectionId]?.blocks.cards;
  return block?.kind === 'cards' ? block.cards.map((c) => c.title) : [];
}

function textAt(doc: Y.Doc, path: readonly string[]): Y.Text {
  const text = getText(doc, path);
  if (text === null) throw new Error(`no text at ${path.join('.')}`);
  return text;
}

describe('concurrent edits', () => {
  it('keeps what A types in one field while B patches another field', () => {
    const { a, b, model } = twoClients();
    const [first] = cardIds(model);
    const purposePath = [...cardPath('components', first ?? ''), 'fields', 'purpose'];
    textAt(a, purposePath).insert(0, 'A typed this. ');
    const next = editModel(model, (d) => {
      const card = cardsOf(d, 'components')[1];
      if (card) card.fields.technology = 'Go 1.22';
    });
    patchModel(b, next);
    syncDocs(a, b);
    expect(readModel(a)).toEqual(readModel(b));
    const read = readModel(a);
    const cards = read.sections.components?.blocks.cards;
    expect(cards?.kind === 'cards' && cards.cards[0]?.fields.purpose).toBe(
      'A typed this. Receives events for shard 1 and normalises them',
    );
    expect(cards?.kind === 'cards' && cards.cards[1]?.fields.technology).toBe('Go 1.22');
  });

  it('merges A typing and B importing a change into the same field, character by character', () => {
    const { a, b, model } = twoClients();
    const path = ['intro'];
    const intro = textAt(a, path);
    intro.insert(intro.length, ' (A was here)');
    patchModel(
      b,
      editModel(
        model,
        (d) => (d.intro = d.intro.replace('Technical architecture', 'Technical design')),
      ),
    );
    syncDocs(a, b);
    expect(readModel(a).intro).toBe(
      '*Technical design* of the billing service.\n\nLast reviewed 2024-05. (A was here)',
    );
    expect(readModel(b)).toEqual(readModel(a));
  });

  it('keeps both cards when two people add a card at the same place at once', () => {
    const { a, b, model } = twoClients();
    const fromA = insertCard(a, 'components', { index: 1 });
    const fromB = insertCard(b, 'components', { index: 1 });
    syncDocs(a, b);
    const ids = cardIds(readModel(a));
    expect(ids).toHaveLength(cardIds(model).length + 2);
    expect(ids.slice(1, 3).sort()).toEqual([fromA.id, fromB.id].sort());
    expect(readModel(b)).toEqual(readModel(a));
  });

  it('never duplicates a card two people move to different places at once', () => {
    const { a, b, model } = twoClients();
    const [first] = cardIds(model);
    moveCard(a, 'components', first ?? '', 2);
    moveCard(b, 'components', first ?? '', 1);
    syncDocs(a, b);
    const ids = cardIds(readModel(a));
    expect([...ids].sort()).toEqual([...cardIds(model)].sort());
    expect(readModel(b)).toEqual(readModel(a));
    expect(getCardArray(a, 'components')?.length).toBe(cardIds(model).length);
  });

  it('keeps what A types in a card while B moves that card', () => {
    const { a, b, model } = twoClients();
    const [first] = cardIds(model);
    textAt(a, [...cardPath('components', first ?? ''), 'title']).insert(0, 'Edge ');
    moveCard(b, 'components', first ?? '', 2);
    syncDocs(a, b);
    const titles = cardTitles(readModel(a));
    expect(titles[2]).toBe('Edge Component 1: ingest-1 🚀');
    expect(titles).toHaveLength(3);
    expect(readModel(b)).toEqual(readModel(a));
  });

  it('keeps what A types in a card while B imports the cards in another order', () => {
    const { a, b, model } = twoClients();
    textAt(a, [...cardPath('components', cardIds(model)[0] ?? ''), 'notes']).insert(
      0,
      'typed by A',
    );
    patchModel(
      b,
      editModel(model, (d) => cardsOf(d, 'components').reverse()),
    );
    syncDocs(a, b);
    const read = readModel(a);
    const cards = read.sections.components?.blocks.cards;
    expect(cards?.kind === 'cards' && cards.cards.map((c) => c.notes)).toEqual([
      'Owned by team 3.\n\n> keep it small',
      '',
      'typed by A',
    ]);
    expect(readModel(b)).toEqual(read);
  });

  it('converges when one person edits a card another removes', () => {
    const { a, b, model } = twoClients();
    const [first] = cardIds(model);
    textAt(a, [...cardPath('components', first ?? ''), 'title']).insert(0, 'x');
    patchModel(
      b,
      editModel(model, (d) => cardsOf(d, 'components').shift()),
    );
    syncDocs(a, b);
    expect(cardIds(readModel(a))).not.toContain(first);
    expect(readModel(b)).toEqual(readModel(a));
  });

  it('orders entries the same on every replica even when concurrent inserts made equal keys', () => {
    const { a, b } = twoClients();
    const cardsA = getCardArray(a, 'components');
    const cardsB = getCardArray(b, 'components');
    const [x, y] = orderedEntries(cardsA ?? new Y.Array());
    // As if two replicas had made the same key: equal keys fall back to Y.Array position.
    x?.set('order', y?.get('order'));
    syncDocs(a, b);
    expect(readModel(a)).toEqual(readModel(b));
    const inserted = insertCard(b, 'components', { index: 1 });
    syncDocs(a, b);
    const orders = orderedEntries(cardsB ?? new Y.Array()).map((m) => m.get('order') as string);
    expect(new Set(orders).size).toBe(orders.length);
    expect(cardIds(readModel(a))[1]).toBe(inserted.id);
    expect(readModel(a)).toEqual(readModel(b));
  });

  it('undoes only the local user’s changes, not a patch that arrived from someone else', () => {
    const { a, b, model } = twoClients();
    const local = Symbol('local');
    const intro = textAt(a, ['intro']);
    const undo = new Y.UndoManager(a.getMap('syspat'), { trackedOrigins: new Set([local]) });
    a.transact(() => intro.insert(0, 'Mine. '), local);
    patchModel(
      b,
      editModel(model, (d) => (d.footer = 'theirs')),
    );
    syncDocs(a, b);
    undo.undo();
    expect(readModel(a).intro).toBe(model.intro);
    expect(readModel(a).footer).toBe('theirs');
  });

  it('keeps both cards when two people patch in a new card at the same place at once', () => {
    const { a, b, model } = twoClients();
    const card = (id: string) => ({
      id,
      title: id,
      notes: '',
      fields: {},
      extraFields: [],
      steps: null,
    });
    patchModel(
      a,
      editModel(model, (d) => cardsOf(d, 'components').unshift(card('fromA'))),
    );
    patchModel(
      b,
      editModel(model, (d) => cardsOf(d, 'components').unshift(card('fromB'))),
    );
    syncDocs(a, b);
    expect(cardIds(readModel(a)).slice(0, 2).sort()).toEqual(['fromA', 'fromB']);
    expect(readModel(b)).toEqual(readModel(a));
  });

  it('converges to a valid document without duplicates under random concurrent edits', () => {
    let seed = 99;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = (n: number) => Math.floor(random() * n);
    const { a, b } = twoClients();
    const clients = [a, b];
    for (let round = 0; round < 200; round++) {
      const doc = clients[pick(2)] ?? a;
      const ids = cardIds(readModel(doc));
      const someId = ids[pick(ids.length)] ?? '';
      switch (pick(6)) {
        case 0:
          insertCard(doc, 'components', { index: pick(ids.length + 1) });
          break;
        case 1:
          if (ids.length > 1) removeCard(doc, 'components', someId);
          break;
        case 2:
          moveCard(doc, 'components', someId, pick(ids.length));
          break;
        case 3: {
          const title = getText(doc, [...cardPath('components', someId), 'title']);
          title?.insert(pick(title.length + 1), String.fromCharCode(97 + pick(26)));
          break;
        }
        case 4: {
          const current = readModel(doc);
          patchModel(
            doc,
            editModel(current, (d) => {
              const cards = cardsOf(d, 'components');
              const [moved] = cards.splice(pick(cards.length), 1);
              if (moved)
                cards.splice(pick(cards.length + 1), 0, { ...moved, notes: `${moved.notes}!` });
            }),
          );
          break;
        }
        default:
          if (pick(3) === 0) syncDocs(a, b);
      }
    }
    syncDocs(a, b);
    const read = readModel(a);
    expect(readModel(b)).toEqual(read);
    expect(documentSchema.safeParse(read).error).toBeUndefined();
    const ids = cardIds(read);
    expect(new Set(ids).size).toBe(ids.length);
    expect(getCardArray(a, 'components')?.length).toBe(ids.length);
  });
});
