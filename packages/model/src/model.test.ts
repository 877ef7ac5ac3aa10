import { describe, expect, it } from 'vitest';
import { systemPatternsTemplate } from '@syspat/template';
import {
  createCard,
  createDocument,
  createEmptyDocument,
  documentSchema,
  newId,
  sequentialIds,
} from './index.ts';

describe('createDocument', () => {
  it('has every template section, each block as the template shows it', () => {
    const doc = createDocument(undefined, sequentialIds());
    expect(Object.keys(doc.sections)).toEqual(systemPatternsTemplate.sections.map((s) => s.id));
    const cards = doc.sections['components']?.blocks['cards'];
    expect(cards?.kind === 'cards' && cards.cards.length).toBe(2);
    const storage = doc.sections['data']?.blocks['storage'];
    expect(storage?.kind === 'table' && storage.table?.rows.length).toBe(2);
    expect(doc.sections['decisions']?.notes).toBe(
      'Reference: See `docs/adr/` for detailed Architectural Decision Records',
    );
  });

  it('passes its own schema, and so does an empty document', () => {
    expect(documentSchema.safeParse(createDocument()).success).toBe(true);
    expect(documentSchema.safeParse(createEmptyDocument()).success).toBe(true);
  });
});

describe('documentSchema', () => {
  it('rejects a field the template does not have, naming where it is', () => {
    const doc = createDocument(undefined, sequentialIds());
    const cards = doc.sections['components']?.blocks['cards'];
    if (cards?.kind !== 'cards') throw new Error('no cards');
    const broken = {
      ...doc,
      sections: {
        ...doc.sections,
        components: {
          ...doc.sections['components'],
          blocks: {
            cards: { ...cards, cards: [{ ...cards.cards[0], fields: { colour: 'red' } }] },
          },
        },
      },
    };
    const result = documentSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues[0]?.path)).toContain('components');
  });

  it('rejects an unknown section key and a wrong block kind', () => {
    const doc = createDocument();
    expect(
      documentSchema.safeParse({ ...doc, sections: { ...doc.sections, bogus: null } }).success,
    ).toBe(false);
    const wrongKind = {
      ...doc,
      sections: {
        ...doc.sections,
        data: {
          ...doc.sections['data'],
          blocks: { ...doc.sections['data']?.blocks, flow: { kind: 'list', notes: '', items: [] } },
        },
      },
    };
    expect(documentSchema.safeParse(wrongKind).success).toBe(false);
  });
});

describe('ids', () => {
  it('are random, 12 url-safe characters, and do not repeat', () => {
    const ids = Array.from({ length: 2000 }, newId);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{12}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('new cards get every field of their list, empty', () => {
    const spec = systemPatternsTemplate.sections[1]?.blocks[0];
    if (spec?.kind !== 'cards') throw new Error('components are cards');
    expect(createCard(spec, sequentialIds('c')).fields).toEqual({
      purpose: '',
      responsibilities: '',
      technology: '',
      interfaces: '',
      location: '',
    });
  });
});
