import { describe, expect, it } from 'vitest';
import type { SyspatDocument } from '@syspat/model';
import { parseMarkdown } from './index.ts';
import { structureCensus } from './structureCensus.ts';
import { readFixture, readTemplateFixture } from './testSupport.ts';

const censusOf = (markdown: string) => structureCensus(parseMarkdown(markdown));

describe('structureCensus', () => {
  it('names the cards, steps, rows and slotted diagrams of a filled document', () => {
    const census = censusOf(readFixture('filled.md'));
    expect(census.cards['components']?.map((c) => c.title)).toEqual([
      'Tracking API',
      'Notification Worker',
      'Event Bus',
    ]);
    expect(census.cards['paths']?.map((c) => [c.title, c.steps])).toEqual([
      ['Scan to notification', 4],
      ['Status query', 3],
    ]);
    expect(census.tableRows['data.storage']).toEqual(['Scan events', 'Outbox', 'Recipient prefs']);
    expect(census.tableRows['integration.external']).toEqual(['SMS gateway', 'Maps']);
    expect(census.diagrams).toEqual([
      { slot: 'highLevel', lang: 'mermaid' },
      { slot: 'flow', lang: '' },
      { slot: 'internal', lang: '' },
    ]);
    expect(
      Object.values(census.cards)
        .flat()
        .every((c) => c.filled),
    ).toBe(true);
  });

  it('counts nothing in the unfilled template: placeholders are not structure', () => {
    const census = censusOf(readTemplateFixture());
    const cards = Object.values(census.cards).flat();
    expect(cards.length).toBe(8);
    expect(cards.filter((c) => c.filled)).toEqual([]);
    expect(Object.values(census.tableRows).flat()).toEqual([]);
    expect(census.diagrams).toEqual([]);
  });

  it('does not call a card filled when its text is all in notes or in unknown labels', () => {
    // The recognizers now move such text into fields, so the model is shaped by hand here.
    const doc = parseMarkdown(
      '## Key Technical Decisions\n\n### Decision 1: Fastify\n- **Rationale**: plugins\n',
    );
    const section = doc.sections['decisions'];
    const block = section?.blocks['cards'];
    if (section == null || block?.kind !== 'cards') throw new Error('no decision cards');
    const [fastify] = block.cards;
    if (fastify === undefined) throw new Error('no Fastify card');
    const bare = { ...fastify, fields: {}, extraFields: [], notes: '' };
    const cards = [
      {
        ...bare,
        id: 'a',
        title: 'Postgres',
        extraFields: [{ id: 'x', label: 'Owner', value: 'Ana' }],
      },
      { ...bare, id: 'b', title: 'Redis', notes: '- fast enough for us' },
      fastify,
    ];
    const shaped: SyspatDocument = {
      ...doc,
      sections: {
        ...doc.sections,
        decisions: { ...section, blocks: { ...section.blocks, cards: { ...block, cards } } },
      },
    };
    expect(structureCensus(shaped).cards['decisions']?.map((c) => [c.title, c.filled])).toEqual([
      ['Postgres', false],
      ['Redis', false],
      ['Fastify', true],
    ]);
  });

  it('finds a diagram wherever the model keeps one, and not a fence left in notes', () => {
    const doc = parseMarkdown('## Ops\n\n```mermaid\ngraph TD\n  A --> B\n```\n');
    expect(structureCensus(doc).diagrams).toEqual([]);
    const [extra] = doc.extraSections;
    // A recognizer may keep a diagram block in a place the template has no slot for.
    const withBlock = {
      ...doc,
      extraSections: [{ ...extra, diagram: { lang: 'mermaid', code: 'graph TD\n  A --> B' } }],
    } as unknown as SyspatDocument;
    expect(structureCensus(withBlock).diagrams).toEqual([{ slot: 'other', lang: 'mermaid' }]);
  });

  it('splits the words between notes and structure, leaving headings out', () => {
    const census = censusOf(
      '# System Patterns: Demo\n\n## Core Components\n\nThree note words\n\n### Component 1: Api\n- **Purpose**: Two words\n',
    );
    // "Api" (the card title) and "Two words" are structure; the field label is not a body word.
    expect(census.words).toEqual({ notes: 3, structured: 3 });
  });
});
