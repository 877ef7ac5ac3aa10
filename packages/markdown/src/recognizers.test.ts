import { describe, expect, it } from 'vitest';
import type { Card, SyspatDocument } from '@syspat/model';
import { parseMarkdown, printMarkdown, recognizeSection } from './index.ts';
import { missingWords, readFixture } from './testSupport.ts';

const fixture = (name: string) => readFixture(`recognize/${name}`);
const fmt = (text: string) => printMarkdown(parseMarkdown(text));

function cardsOf(doc: SyspatDocument, section: string): Card[] {
  const block = doc.sections[section]?.blocks['cards'];
  return block?.kind === 'cards' ? [...block.cards] : [];
}

const fixtures = [
  'card-lists.md',
  'unlabelled-cards.md',
  'label-synonyms.md',
  'diagrams.md',
  'tables.md',
  'steps.md',
  'headings.md',
  'pattern-diagrams.md',
  'grouped-patterns.md',
];

describe.each(fixtures)('the recognizer fixture %s', (name) => {
  const input = fixture(name);
  const once = fmt(input);

  it('keeps every word and formats idempotently', () => {
    expect(missingWords(input, once)).toEqual([]);
    expect(fmt(once)).toBe(once);
  });
});

describe('card lists from list items', () => {
  const doc = parseMarkdown(fixture('card-lists.md'));

  it('turns a Key Components list into component cards with their Purpose', () => {
    const cards = cardsOf(doc, 'components');
    expect(cards.map((c) => [c.title, c.fields['purpose']])).toEqual([
      ['Ingest API', 'Accepts uploads from the mobile app'],
      ['Thumbnailer', 'Resizes every photo in the background'],
      ['Album Builder', 'Groups photos by day and place'],
    ]);
  });

  it('sends labelled sub-items to their fields and the rest to the default field', () => {
    const [ingest] = cardsOf(doc, 'components');
    expect(ingest?.fields['technology']).toBe('Go with the chi router');
    expect(ingest?.fields['responsibilities']).toBe('\n- keeps a quota per household');
  });

  it('reads a list straight under a card section as its cards', () => {
    expect(cardsOf(doc, 'patterns').map((c) => c.title)).toEqual(['Outbox', 'Retry with jitter']);
  });
});

describe('cards with unlabelled content', () => {
  const doc = parseMarkdown(fixture('unlabelled-cards.md'));

  it('fills Rationale of a numbered decision with its bullets, as a list', () => {
    const [postgres, orm] = cardsOf(doc, 'decisions');
    expect(postgres?.title).toBe('Postgres as the only database');
    expect(postgres?.fields['rationale']).toBe(
      '\n- One backup story for everything\n- The team already runs it',
    );
    expect(orm?.fields['rationale']).toBe('Queries are written by hand and checked in review.');
    expect(postgres?.notes).toBe('');
  });

  it('fills Responsibilities of a component written as a paragraph', () => {
    expect(cardsOf(doc, 'components')[0]?.fields['responsibilities']).toBe(
      'Holds uploads until a worker is free.',
    );
  });
});

describe('label synonyms', () => {
  const doc = parseMarkdown(fixture('label-synonyms.md'));

  it('maps Role, Stack, API and Code to the component fields', () => {
    expect(cardsOf(doc, 'components')[0]?.fields).toEqual({
      responsibilities: 'Ranks albums for a query',
      technology: 'Rust and tantivy',
      interfaces: 'gRPC on port 7000',
      location: 'services/search',
    });
  });

  it('maps labelled paragraphs Decision, Why and Consequences to the decision fields', () => {
    expect(cardsOf(doc, 'decisions')[0]?.fields).toEqual({
      choice: 'Serve album pages from a CDN',
      rationale: '\n- Most visits read the same pages\n- The origin stays small',
      impact: 'A changed album shows up after a minute',
    });
  });

  it('maps Used in and How to the pattern fields', () => {
    expect(cardsOf(doc, 'patterns')[0]?.fields).toEqual({
      whereUsed: 'Album pages',
      implementation: 'A table rebuilt from events',
    });
  });
});

describe('diagrams', () => {
  const doc = parseMarkdown(fixture('diagrams.md'));
  const diagram = (section: string, block: string) => {
    const found = doc.sections[section]?.blocks[block];
    return found?.kind === 'diagram' ? found.diagram?.lang : undefined;
  };

  it('puts the fence under System Architecture in the High-Level Architecture slot', () => {
    expect(diagram('architecture', 'highLevel')).toBe('mermaid');
    expect(doc.sections['architecture']?.notes).toBe('The worker writes to object storage.');
  });

  it('puts the fence under Data Flow in the Data Flow slot', () => {
    expect(diagram('data', 'flow')).toBe('text');
  });

  it('puts the fence under Component Relationships in Internal Integrations', () => {
    expect(diagram('integration', 'internal')).toBe('mermaid');
    expect(cardsOf(doc, 'components')).toEqual([]);
  });
});

describe('a diagram subsection named like a pattern', () => {
  const doc = parseMarkdown(fixture('pattern-diagrams.md'));

  it('puts the fence under "Data Flow Pattern" in the Data Flow slot, not in a card', () => {
    const flow = doc.sections['data']?.blocks['flow'];
    expect(flow?.kind === 'diagram' && flow.diagram?.code).toContain('Gateway → Orders service');
    expect(flow?.kind === 'diagram' && flow.notes).toBe('The gateway retries once on a timeout.');
    expect(cardsOf(doc, 'patterns').map((c) => c.title)).toEqual(['Outbox Pattern']);
  });

  it('recognizes its canonical output as it stands on a second import', () => {
    const again = parseMarkdown(fmt(fixture('pattern-diagrams.md')));
    expect(again.sections['data']?.blocks['flow']).toEqual(doc.sections['data']?.blocks['flow']);
    expect(cardsOf(again, 'patterns').map((c) => c.title)).toEqual(['Outbox Pattern']);
  });
});

describe('a section the template does not know that groups patterns', () => {
  const doc = parseMarkdown(fixture('grouped-patterns.md'));

  it('turns its "### X Pattern" subsections into pattern cards with their bullets', () => {
    const cards = cardsOf(doc, 'patterns');
    expect(cards.map((c) => c.title)).toEqual(['Vector Clock Pattern', 'Tombstone Pattern']);
    expect(cards[1]?.fields['implementation']).toContain('Deletes leave a marker');
    expect(doc.sections['patterns']?.notes).toBe('Patterns the sync engine relies on.');
  });

  it('keeps a patterns section without such subsections a section of its own', () => {
    expect(doc.extraSections.map((s) => s.heading)).toEqual(['Logging Patterns']);
  });
});

describe('tables and lists as rows', () => {
  const doc = parseMarkdown(fixture('tables.md'));

  it('maps a Database table by header synonyms and keeps the extra column', () => {
    const block = doc.sections['data']?.blocks['storage'];
    const table = block?.kind === 'table' ? block.table : null;
    expect(table?.extraColumns.map((c) => c.label)).toEqual(['Owner']);
    expect(table?.rows.map((r) => [r.cells['storage'], r.cells['dataType']])).toEqual([
      ['Postgres', 'Albums and members'],
      ['Bucket', 'Original photos'],
    ]);
  });

  it('reads a list of **Service**: purpose under third-party services as integration rows', () => {
    const block = doc.sections['integration']?.blocks['external'];
    const rows = block?.kind === 'table' ? (block.table?.rows ?? []) : [];
    expect(rows.map((r) => [r.cells['system'], r.cells['purpose']])).toEqual([
      ['Mapbox', 'Turns coordinates into place names'],
      ['Postmark', 'Sends the weekly digest'],
    ]);
  });
});

describe('steps', () => {
  it('turns numbered lists under flow and "how X works" headings into paths', () => {
    const paths = cardsOf(parseMarkdown(fixture('steps.md')), 'paths');
    expect(paths.map((p) => [p.title, p.steps?.length])).toEqual([
      ['How Sharing Works', 3],
      ['Upload Flow', 3],
    ]);
  });
});

describe('headings', () => {
  const doc = parseMarkdown(fixture('headings.md'));

  it('strips emphasis from a section heading it does not know', () => {
    expect(doc.extraSections.map((s) => s.heading)).toEqual(['1. Overview']);
  });

  it('matches Japanese headings with a suffix', () => {
    expect(doc.sections['architecture']?.notes).toContain('スマートフォン');
    expect(cardsOf(doc, 'patterns').map((c) => c.title)).toEqual(['リポジトリ', 'キュー']);
  });

  it('never makes a Component Relationships heading, or a relation subsection, a card', () => {
    expect(cardsOf(doc, 'components').map((c) => c.title)).toEqual(['Ingest Service']);
    expect(doc.sections['integration']?.extraBlocks.map((b) => b.heading)).toEqual([
      'Queue Relationships',
    ]);
  });
});

describe('recognizeSection', () => {
  it('shows what notes of a section would become, without a document', () => {
    const section = recognizeSection(
      'components',
      '- **Ingest API**: Accepts uploads\n- **Thumbnailer**: Resizes photos',
    );
    const block = section.blocks['cards'];
    expect(block?.kind === 'cards' && block.cards.map((c) => c.title)).toEqual([
      'Ingest API',
      'Thumbnailer',
    ]);
    expect(section.notes).toBe('');
  });

  it('reads a fence under the architecture section as its diagram', () => {
    const section = recognizeSection('architecture', 'Intro.\n\n```mermaid\ngraph LR\n```');
    const block = section.blocks['highLevel'];
    expect(block?.kind === 'diagram' && block.diagram?.lang).toBe('mermaid');
    expect(section.notes).toBe('Intro.');
  });

  it('names the fix when the section id is unknown', () => {
    expect(() => recognizeSection('nope', 'x')).toThrow(/use one of architecture/);
  });
});
