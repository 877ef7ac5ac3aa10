import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDocument, documentSchema, sequentialIds } from '@syspat/model';
import { parseMarkdown, printMarkdown } from './index.ts';
import { missingWords, readFixture, readTemplateFixture, sharedDir } from './testSupport.ts';

const fmt = (text: string) => printMarkdown(parseMarkdown(text));
const template = readTemplateFixture();

describe('the unfilled template', () => {
  it('prints byte for byte from the template description alone', () => {
    expect(printMarkdown(createDocument())).toBe(`${template}\n`);
  });

  it('round-trips byte for byte through fmt (a final newline added)', () => {
    expect(fmt(template)).toBe(`${template}\n`);
  });

  it('reads back as the unfilled document: every value empty, two cards per card list', () => {
    const doc = parseMarkdown(template, { ids: sequentialIds() });
    const components = doc.sections['components']?.blocks['cards'];
    expect(
      components?.kind === 'cards' && components.cards.map((c) => [c.title, c.fields['purpose']]),
    ).toEqual([
      ['', ''],
      ['', ''],
    ]);
    const patterns = doc.sections['patterns']?.blocks['cards'];
    // The template's Pattern 2 has no Example field; that shape is kept.
    expect(patterns?.kind === 'cards' && patterns.cards.map((c) => Object.keys(c.fields))).toEqual([
      ['whereUsed', 'implementation', 'benefits', 'example'],
      ['whereUsed', 'implementation', 'benefits'],
    ]);
  });

  it.skipIf(!existsSync(sharedDir))(
    'matches the shared template the repo copy was taken from',
    () => {
      expect(readFileSync(path.join(sharedDir, 'template/system-patterns.md'), 'utf8')).toBe(
        template,
      );
    },
  );
});

describe('a document written in the template style', () => {
  const filled = readFixture('filled.md');

  it('round-trips byte for byte', () => {
    expect(fmt(filled)).toBe(filled);
  });

  it('reads CRLF input and prints LF', () => {
    expect(fmt(filled.replace(/\n/g, '\r\n'))).toBe(filled);
  });

  it('fills cards, table rows and steps from the markdown', () => {
    const doc = parseMarkdown(filled);
    const components = doc.sections['components']?.blocks['cards'];
    expect(components?.kind === 'cards' && components.cards.map((c) => c.title)).toEqual([
      'Tracking API',
      'Notification Worker',
      'Event Bus',
    ]);
    const storage = doc.sections['data']?.blocks['storage'];
    expect(
      storage?.kind === 'table' && storage.table?.rows.map((r) => r.cells['retention']),
    ).toEqual(['2 years', 'Until relayed + 1 day', 'Until account deletion']);
    const paths = doc.sections['paths']?.blocks['cards'];
    expect(paths?.kind === 'cards' && paths.cards[1]?.steps?.map((s) => s.text)).toEqual([
      'Recipient opens the tracking link',
      'Tracking API reads the latest scan',
      'Response is cached for 30 s',
    ]);
    expect(documentSchema.safeParse(doc).success).toBe(true);
  });

  it('gives every card, row, step and item its own id', () => {
    const doc = parseMarkdown(filled);
    const ids = JSON.stringify(doc).match(/"id":"[^"]+"/g) ?? [];
    expect(ids.length).toBeGreaterThan(20);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('a messy real-world document', () => {
  const messy = readFixture('messy.md');
  const once = fmt(messy);

  it('is idempotent', () => {
    expect(fmt(once)).toBe(once);
  });

  it('keeps every word of every body line', () => {
    expect(missingWords(messy, once)).toEqual([]);
  });

  it('keeps front matter, raw HTML, links and emoji as written', () => {
    expect(once.startsWith('---\ntitle: Checkout service\nowner: "@payments-team"\n---\n')).toBe(
      true,
    );
    expect(once).toContain('<abbr title="Point of sale">POS</abbr>');
    expect(once).toContain('<!-- generated sections below are edited by hand -->');
    expect(once).toContain('[the wiki](https://wiki.example.com/checkout "Wiki")');
    expect(once).toContain('# System Patterns: Checkout 🛒');
  });

  it('reads **Label:** value and **Label** — value like **Label**: value', () => {
    expect(once).toContain(
      '- **Pattern**: Layered monolith\n- **Rationale**: Small team 🙂, one release train\n- **Trade-offs**: Fewer moving parts vs. coarse scaling\n- **Owner**: payments-team',
    );
  });

  it('keeps extra table columns and escapes pipes in cells', () => {
    const doc = parseMarkdown(messy);
    const storage = doc.sections['data']?.blocks['storage'];
    expect(storage?.kind === 'table' && storage.table?.extraColumns.map((c) => c.label)).toEqual([
      'Owner',
    ]);
    expect(storage?.kind === 'table' && storage.table?.rows[0]?.cells['storage']).toBe(
      'Redis `a|b` keys',
    );
    expect(once).toContain('| Carts | Redis `a\\|b` keys | Fast, expiring | 7 days | payments |');
  });

  it('maps numbered, lower-case and Japanese headings to template sections', () => {
    const doc = parseMarkdown(messy);
    expect(doc.sections['architecture']).not.toBeNull();
    expect(doc.sections['patterns']?.notes).toContain('リポジトリパターン');
    expect(doc.sections['decisions']).not.toBeNull();
    expect(once).toContain('## System Architecture Overview\n');
  });

  it('keeps unknown sections in their order, after the section they followed', () => {
    const doc = parseMarkdown(messy);
    expect(doc.extraSections.map((s) => [s.heading, s.after])).toEqual([
      ['Glossary', 'architecture'],
      ['Open questions', 'patterns'],
    ]);
  });

  it('keeps code fences byte for byte and closes one left open at the end', () => {
    expect(once).toContain('```text\nline with trailing spaces   \n\ttab-indented line\n```');
    expect(once).toContain(
      '```js\n// a fence left open at the end of the file\nconst unfinished = true;\n```\n',
    );
  });

  it('keeps 4-level lists, task checkboxes and hard line breaks', () => {
    // The card's unlabelled text and list fill its default field, nested under the label.
    expect(once).toContain(
      '- **Responsibilities**: Computes totals, taxes and discounts.\n\n  - Level 1\n    - Level 2\n      - Level 3\n        - Level 4 — deep enough',
    );
    expect(once).toContain('- [ ] Do we need multi-currency?\n- [x] Tax engine chosen');
    expect(once).toContain('Plain text under an unknown heading,  \nwith a hard line break');
  });
});

describe('edge cases', () => {
  it.each([
    ['an empty file', ''],
    ['only whitespace', '  \n\n \n'],
    ['only a title', '# Notes'],
    ['a heading with no text', '##\n\ntext'],
    ['a setext title', 'Title\n=====\n\nbody'],
    ['an open fence only', '```\nnot closed'],
    ['an open tilde fence in a list', '- item\n  ~~~\n  code'],
    [
      'a table with fewer cells in a row',
      '## Data Architecture\n\n### Storage Strategy\n| Data Type | Storage | Rationale | Retention |\n|---|---|---|---|\n| a |',
    ],
    ['nested blockquotes', '> > > deep\n> > still'],
    ['NUL and control characters', 'a\u0000b\u0007c'],
    [
      'a duplicate known section before its twin',
      '## Core Components\n\nA\n\n## System Architecture\n\nB\n\n## Components\n\nC',
    ],
  ])('handles %s without losing words, idempotently', (_name, input) => {
    const once = fmt(input);
    expect(fmt(once)).toBe(once);
    expect(missingWords(input, once)).toEqual([]);
  });

  it('prints a card field that is empty as its placeholder and reads it back as empty', () => {
    const doc = createDocument(undefined, sequentialIds());
    const text = printMarkdown(doc);
    expect(text).toContain('- **Purpose**: [What it does]');
    expect(printMarkdown(parseMarkdown(text))).toBe(text);
  });
});

describe('values typed in the editor', () => {
  it('keeps a line break typed into a card title inside the heading, as a space', () => {
    const doc = createDocument(undefined, sequentialIds());
    const block = doc.sections['components']?.blocks['cards'];
    if (block?.kind !== 'cards' || !block.cards[0])
      throw new Error('the template has component cards');
    const cards = [{ ...block.cards[0], title: 'Auth\nService' }, ...block.cards.slice(1)];
    const edited = {
      ...doc,
      sections: {
        ...doc.sections,
        components: {
          notes: '',
          extraBlocks: [],
          blocks: { cards: { kind: 'cards' as const, cards } },
        },
      },
    };
    const text = printMarkdown(edited);
    expect(text).toContain('### Component 1: Auth Service\n- **Purpose**: [What it does]');
    const again = parseMarkdown(text).sections['components']?.blocks['cards'];
    expect(again?.kind === 'cards' && again.cards.map((c) => c.title)).toEqual([
      'Auth Service',
      '',
    ]);
  });
});
