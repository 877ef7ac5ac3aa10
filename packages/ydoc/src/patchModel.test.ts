import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  createDocument,
  createEmptyDocument,
  documentSchema,
  type SyspatDocument,
} from '@syspat/model';
import { buildFilledDocument } from './buildDocument.ts';
import { cardPath, getText } from './editing.ts';
import {
  cardsOf,
  diagramOf,
  editModel,
  type Draft,
  fieldsOf,
  listOf,
  tableOf,
  withFreshIds,
  withoutIds,
} from './editModel.ts';
import { getRoot, type YMap } from './layout.ts';
import { patchModel } from './patchModel.ts';
import { readModel } from './readModel.ts';
import { measureChange } from './syncDocs.ts';
import { applyModel } from './writeModel.ts';

function docOf(model: SyspatDocument = buildFilledDocument()): Y.Doc {
  const doc = new Y.Doc();
  applyModel(doc, model);
  return doc;
}

/** The Yjs events a change causes under the root. */
function eventsOf(doc: Y.Doc, change: () => void): Y.YEvent<Y.AbstractType<unknown>>[] {
  const events: Y.YEvent<Y.AbstractType<unknown>>[] = [];
  const observe = (batch: Y.YEvent<Y.AbstractType<unknown>>[]) => events.push(...batch);
  getRoot(doc).observeDeep(observe);
  change();
  getRoot(doc).unobserveDeep(observe);
  return events;
}

function firstCardId(model: SyspatDocument, sectionId: string): string {
  const block = model.sections[sectionId]?.blocks.cards;
  const id = block?.kind === 'cards' ? block.cards[0]?.id : undefined;
  if (id === undefined) throw new Error('no card');
  return id;
}

describe('patchModel', () => {
  it('changes nothing, not even one update, when the model equals the document', () => {
    const doc = docOf();
    expect(measureChange(doc, () => patchModel(doc, readModel(doc)))).toEqual({
      bytes: 0,
      updates: 0,
    });
  });

  it('changes only the Y.Text of the one field that changed, by a small diff', () => {
    const model = buildFilledDocument();
    const doc = docOf(model);
    const cardId = firstCardId(model, 'components');
    const purpose = getText(doc, [...cardPath('components', cardId), 'fields', 'purpose']);
    const next = editModel(model, (draft) => {
      const card = cardsOf(draft, 'components')[0];
      if (card) card.fields.purpose = 'Receives billing events for shard 1 and normalises them';
    });
    let bytes = 0;
    const events = eventsOf(doc, () => {
      bytes = measureChange(doc, () => patchModel(doc, next)).bytes;
    });
    expect(events.map((e) => e.target)).toEqual([purpose]);
    expect(events[0]?.delta).toEqual([{ retain: 9 }, { insert: 'billing ' }]);
    expect(bytes).toBeLessThan(40);
    expect(readModel(doc)).toEqual(next);
  });

  it('reaches every kind of change: entries added, removed, moved; null and empty swapped', () => {
    const model = buildFilledDocument();
    const doc = docOf(model);
    const changes: [string, (draft: Draft) => void][] = [
      [
        'a card is added at the top',
        (d) =>
          cardsOf(d, 'components').unshift({
            id: 'new1',
            title: 'Gateway',
            notes: '',
            fields: { purpose: 'Routing' },
            extraFields: [],
            steps: null,
          }),
      ],
      ['a card is removed', (d) => cardsOf(d, 'components').splice(2, 1)],
      ['cards are reversed', (d) => cardsOf(d, 'components').reverse()],
      [
        'a card loses a field and gains another',
        (d) => {
          const card = cardsOf(d, 'components')[1];
          if (card) {
            delete card.fields.location;
            card.fields.interfaces = 'gRPC';
            card.extraFields.push({ id: 'xf1', label: 'SLA', value: '99.9%' });
          }
        },
      ],
      [
        'steps become null and empty steps get one',
        (d) => {
          const [checkout, refund, legacy] = cardsOf(d, 'paths');
          if (checkout && refund && legacy) {
            checkout.steps = null;
            refund.steps = [{ id: 's1', text: 'Customer asks' }];
            legacy.steps = [];
          }
        },
      ],
      [
        'a table gains an extra column and cells, and a null table appears',
        (d) => {
          const table = tableOf(d, 'data', 'storage');
          table.extraColumns.push({ id: 'col2', label: 'Region' });
          table.rows.forEach((row, i) => (row.cells.col2 = `eu-${i}`));
          table.rows.splice(0, 0, { id: 'r0', cells: { dataType: 'Carts' } });
          const external = d.sections.integration?.blocks.external;
          if (external?.kind === 'table')
            external.table = {
              extraColumns: [],
              rows: [{ id: 'r9', cells: { system: 'Stripe', critical: 'Yes' } }],
            };
        },
      ],
      [
        'a diagram becomes null and another appears',
        (d) => {
          diagramOf(d, 'architecture', 'highLevel').diagram = null;
          const flow = d.sections.data?.blocks;
          if (flow)
            flow.flow = { kind: 'diagram', notes: '', diagram: { lang: '', code: 'A -> B' } };
        },
      ],
      [
        'list items are reordered and edited, and the list set empty then null',
        (d) => {
          const list = listOf(d, 'integration', 'apiPrinciples');
          list.items?.reverse();
          if (list.items?.[0]) list.items[0].text = 'Versioned under `/v2`';
        },
      ],
      [
        'the list becomes empty',
        (d) => {
          listOf(d, 'integration', 'apiPrinciples').items = [];
        },
      ],
      [
        'the list becomes null',
        (d) => {
          listOf(d, 'integration', 'apiPrinciples').items = null;
        },
      ],
      [
        'a section disappears and another comes back',
        (d) => {
          d.sections.security = structuredClone(
            createDocument().sections.security ?? null,
          ) as Draft['sections'][string];
          d.sections.errors = null;
        },
      ],
      [
        'a block disappears',
        (d) => {
          const data = d.sections.data;
          if (data) data.blocks.models = null;
        },
      ],
      [
        'front matter, title and footer go and the intro changes',
        (d) => {
          d.frontMatter = null;
          d.title = null;
          d.footer = null;
          d.intro = 'New intro';
        },
      ],
      [
        'extra sections and blocks are moved, edited and added',
        (d) => {
          d.extraSections.reverse();
          const first = d.extraSections[0];
          if (first) {
            first.depth = 3;
            first.after = 'components';
          }
          const decisions = d.sections.decisions;
          decisions?.extraBlocks.push({ id: 'eb9', heading: 'Later', body: 'x' });
          decisions?.extraBlocks.shift();
        },
      ],
      [
        'fields of a fields block change',
        (d) => {
          const style = fieldsOf(d, 'architecture', 'style');
          style.fields.tradeoffs = 'Coupling';
          delete style.fields.pattern;
          style.extraFields = [];
        },
      ],
    ];
    let expected = model;
    for (const [name, change] of changes) {
      expected = editModel(expected, change);
      patchModel(doc, expected);
      expect(readModel(doc), name).toEqual(expected);
      expect(documentSchema.safeParse(readModel(doc)).error, name).toBeUndefined();
    }
  });

  it('moves entries by rewriting order keys only, never deleting or copying them', () => {
    const model = buildFilledDocument();
    const doc = docOf(model);
    const next = editModel(model, (d) => {
      const cards = cardsOf(d, 'components');
      const last = cards.pop();
      if (last) cards.unshift(last);
    });
    const events = eventsOf(doc, () => patchModel(doc, next));
    expect(events).toHaveLength(1);
    expect(events[0]).toBeInstanceOf(Y.YMapEvent);
    expect([...(events[0] as Y.YMapEvent<unknown>).keysChanged]).toEqual(['order']);
    expect(readModel(doc)).toEqual(next);
  });

  it('imports a fresh parse of the same document (all ids new) without changing anything', () => {
    const model = buildFilledDocument();
    const doc = docOf(model);
    expect(measureChange(doc, () => patchModel(doc, withFreshIds(model))).updates).toBe(0);
    expect(readModel(doc)).toEqual(model);
  });

  it('imports a fresh parse with one edit as that one edit, keeping the live ids', () => {
    const model = buildFilledDocument();
    const doc = docOf(model);
    const edited = editModel(withFreshIds(model), (d) => {
      const card = cardsOf(d, 'components')[2];
      if (card) card.title = 'Component 3: ingest-3 (deprecated)';
      cardsOf(d, 'components').unshift({
        id: 'brand-new',
        title: 'Gateway',
        notes: '',
        fields: {},
        extraFields: [],
        steps: null,
      });
      const rows = tableOf(d, 'data', 'storage').rows;
      if (rows[1]) rows[1].cells.retention = '7 days';
    });
    const events = eventsOf(doc, () => patchModel(doc, edited));
    // One card inserted (its order key falls before the first), one title edited, one cell added.
    expect(events).toHaveLength(3);
    const read = readModel(doc);
    expect(withoutIds(read)).toEqual(withoutIds(edited));
    const cards = read.sections.components?.blocks.cards;
    const liveIds = model.sections.components?.blocks.cards;
    expect(cards?.kind === 'cards' && cards.cards.map((c) => c.id)).toEqual([
      'brand-new',
      ...(liveIds?.kind === 'cards' ? liveIds.cards.map((c) => c.id) : []),
    ]);
  });

  it('builds the whole document into an empty Y.Doc, as applyModel does', () => {
    const doc = new Y.Doc();
    const model = buildFilledDocument();
    patchModel(doc, model);
    expect(readModel(doc)).toEqual(model);
    const empty = new Y.Doc();
    patchModel(empty, createEmptyDocument());
    expect(readModel(empty)).toEqual(createEmptyDocument());
  });

  it('heals a document a foreign writer left odd', () => {
    const model = buildFilledDocument();
    const doc = docOf(model);
    const root = getRoot(doc);
    doc.transact(() => {
      root.set('intro', 'plain');
      const sections = root.get('sections') as YMap;
      (sections.get('components') as YMap).delete('blocks');
      const extra = root.get('extraSections') as Y.Array<unknown>;
      extra.push(['junk']);
      (extra.get(0) as YMap).delete('order');
    });
    patchModel(doc, model);
    expect(readModel(doc)).toEqual(model);
    expect(getRoot(doc).get('intro')).toBeInstanceOf(Y.Text);
  });

  it('reaches random sequences of single edits, with every id kept', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = (n: number) => Math.floor(random() * n);
    let expected = buildFilledDocument();
    const doc = docOf(expected);
    for (let i = 0; i < 300; i++) {
      expected = editModel(expected, (d) => {
        const cards = cardsOf(d, 'components');
        const rows = tableOf(d, 'data', 'storage').rows;
        switch (pick(6)) {
          case 0:
            cards.splice(pick(cards.length + 1), 0, {
              id: `c${i}`,
              title: `Card ${i}`,
              notes: '',
              fields: { purpose: `p${i}` },
              extraFields: [],
              steps: null,
            });
            break;
          case 1:
            if (cards.length > 0) cards.splice(pick(cards.length), 1);
            break;
          case 2: {
            const [moved] = cards.splice(pick(cards.length), 1);
            if (moved) cards.splice(pick(cards.length + 1), 0, moved);
            break;
          }
          case 3: {
            const card = cards[pick(cards.length)];
            if (card) card.title = `${card.title.slice(0, pick(card.title.length + 1))}+${i}`;
            break;
          }
          case 4:
            rows.splice(pick(rows.length + 1), 0, { id: `r${i}`, cells: { dataType: `t${i}` } });
            break;
          default: {
            const [moved] = rows.splice(pick(rows.length), 1);
            if (moved) rows.splice(pick(rows.length + 1), 0, moved);
          }
        }
      });
      patchModel(doc, expected);
      expect(readModel(doc)).toEqual(expected);
    }
  });
});
