import { describe, expect, it } from 'vitest';
import { parseMarkdown, printMarkdown } from '@syspat/markdown';
import type { SyspatDocument } from '@syspat/model';
import { suggestForNotes, suggestMove } from './structureSuggestion.ts';

const words = (text: string) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).sort();

/** Every word of `notes` is still in the exported document. */
function expectKept(notes: string, doc: SyspatDocument) {
  const out = new Map<string, number>();
  for (const w of words(printMarkdown(doc))) out.set(w, (out.get(w) ?? 0) + 1);
  const lost = words(notes).filter((w) => {
    const left = out.get(w) ?? 0;
    out.set(w, left - 1);
    return left <= 0;
  });
  expect(lost).toEqual([]);
}

/** A document whose section `id` holds `notes` as typed into its notes field. */
function withNotes(markdown: string, id: string, notes: string): SyspatDocument {
  const doc = parseMarkdown(markdown);
  const section = doc.sections[id];
  if (!section) throw new Error(`no ${id} in fixture`);
  return { ...doc, sections: { ...doc.sections, [id]: { ...section, notes } } };
}

const cardNotes = [
  'Two parts carry the load.',
  '',
  '### Component 1: Cache',
  '- **Purpose**: Keeps hot reads close',
  '',
  '### Component 2: Queue',
  '- **Purpose**: Buffers writes',
].join('\n');

describe('Structure this on section notes', () => {
  it('offers to turn typed card headings into cards, says what will happen, and keeps every word', () => {
    const doc = withNotes('# X\n\n## Core Components\n', 'components', cardNotes);
    const suggestion = suggestForNotes(doc, 'components');
    expect(suggestion?.label).toBe('Turn these 2 items into component cards');
    expect(suggestion?.preview).toEqual([
      '2 component cards: Cache, Queue',
      '1 line stays in notes, in order',
    ]);
    const next = suggestion!.apply(doc);
    const block = next.sections['components']?.blocks['cards'];
    expect(
      block?.kind === 'cards' && block.cards.map((c) => [c.title, c.fields['purpose']]),
    ).toEqual([
      ['Cache', 'Keeps hot reads close'],
      ['Queue', 'Buffers writes'],
    ]);
    expect(next.sections['components']?.notes).toBe('Two parts carry the load.');
    expectKept(cardNotes, next);
  });

  it('replaces the untouched template cards but keeps cards someone started', () => {
    const template = parseMarkdown(
      '## Core Components\n\n### Component 1: Gateway\n- **Purpose**: Routes\n\n### Component 2: [Name]\n- **Purpose**: [What it does]\n',
    );
    const doc = withNotes(printMarkdown(template), 'components', cardNotes);
    const next = suggestForNotes(doc, 'components')!.apply(doc);
    const block = next.sections['components']?.blocks['cards'];
    expect(block?.kind === 'cards' && block.cards.map((c) => c.title)).toEqual([
      'Gateway',
      'Cache',
      'Queue',
    ]);
  });

  it('uses a fence in the notes as the empty architecture diagram', () => {
    const notes = 'Overview first.\n\n```mermaid\ngraph TD; Web-->Api\n```\n\nThen details.';
    const doc = withNotes('## System Architecture Overview\n', 'architecture', notes);
    const suggestion = suggestForNotes(doc, 'architecture');
    expect(suggestion?.label).toBe('Use this fence as the High-Level Architecture diagram');
    const next = suggestion!.apply(doc);
    const block = next.sections['architecture']?.blocks['highLevel'];
    expect(block?.kind === 'diagram' && block.diagram).toEqual({
      lang: 'mermaid',
      code: 'graph TD; Web-->Api',
    });
    expect(next.sections['architecture']?.notes).toBe('Overview first.\n\nThen details.');
    expectKept(notes, next);
  });

  it('offers nothing for prose the codec cannot place', () => {
    const doc = withNotes('## Core Components\n', 'components', 'Just a paragraph of prose.');
    expect(suggestForNotes(doc, 'components')).toBeNull();
  });

  it('applies to the live document, so text someone added meanwhile is kept', () => {
    const doc = withNotes('## Core Components\n', 'components', cardNotes);
    const suggestion = suggestForNotes(doc, 'components')!;
    const live = withNotes('## Core Components\n', 'components', `${cardNotes}\n\nAdded by Bob.`);
    const next = suggestion.apply(live);
    // it sits after Component 2's heading, so it belongs to that card now
    const block = next.sections['components']?.blocks['cards'];
    expect(block?.kind === 'cards' && JSON.stringify(block.cards[1])).toContain('Added by Bob.');
    expectKept(`${cardNotes}\n\nAdded by Bob.`, next);
  });
});

describe('moving an extra section into a template section', () => {
  const markdown = [
    '## Key Technical Decisions',
    '',
    '## Lessons Learned',
    '',
    'What we would do again.',
    '',
    '### Decision 1: SQLite first',
    '- **Rationale**: One file to back up',
    '',
  ].join('\n');

  it('reads its body as that section: cards become cards, the rest stays in notes under its heading', () => {
    const doc = parseMarkdown(markdown);
    const extra = doc.extraSections[0]!;
    const suggestion = suggestMove(doc, { kind: 'extraSection', id: extra.id }, 'decisions');
    expect(suggestion?.label).toBe('Move into Key Technical Decisions');
    expect(suggestion?.preview[0]).toBe('1 decision card: SQLite first');
    const next = suggestion!.apply(doc);
    expect(next.extraSections).toEqual([]);
    const block = next.sections['decisions']?.blocks['cards'];
    expect(block?.kind === 'cards' && block.cards.map((c) => c.fields['rationale'])).toEqual([
      'One file to back up',
    ]);
    expect(next.sections['decisions']?.notes).toContain('**Lessons Learned**');
    expectKept(extra.body, next);
  });
});

describe('moving an unknown subsection into a template section', () => {
  it('takes it out of its section and reads its body as the target section', () => {
    const doc = parseMarkdown(
      [
        '## Data Architecture',
        '',
        '### Big Picture',
        '```text',
        '[Web] --> [API] --> [DB]',
        '```',
        '',
      ].join('\n'),
    );
    const block = doc.sections['data']?.extraBlocks[0];
    expect(block?.heading).toBe('Big Picture');
    const source = { kind: 'extraBlock', sectionId: 'data', id: block!.id } as const;
    const suggestion = suggestMove(doc, source, 'architecture');
    expect(suggestion?.preview).toEqual([
      'The text fence becomes the High-Level Architecture diagram',
      'Nothing is left in notes; the heading “Big Picture” is no longer needed',
    ]);
    const next = suggestion!.apply(doc);
    expect(next.sections['data']?.extraBlocks).toEqual([]);
    const diagram = next.sections['architecture']?.blocks['highLevel'];
    expect(diagram?.kind === 'diagram' && diagram.diagram?.code).toBe('[Web] --> [API] --> [DB]');
  });
});
