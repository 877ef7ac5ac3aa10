import type { TemplateSpec } from '@syspat/template';
import { systemPatternsTemplate } from '@syspat/template';
import type { SyspatDocument } from '@syspat/model';
import { cardIsFilled, filledRows, sectionState } from './sectionState.ts';

/** What an import recognized, for people (`text`) and for programs (the counts). */
export interface ImportReport {
  readonly components: number;
  readonly patterns: number;
  readonly decisions: number;
  readonly paths: number;
  readonly diagrams: number;
  readonly tables: number;
  readonly rows: number;
  /** Headings of template sections whose content is all in notes. */
  readonly notesOnlySections: readonly string[];
  /** Headings of sections the template does not know, kept as written. */
  readonly extraSections: readonly string[];
  /** One line: "7 components, 6 decisions, 1 diagram, 2 tables; 3 sections kept as notes; 2 extra sections". */
  readonly text: string;
}

/** Which count a card list adds to, by its card label. */
const CARD_COUNTS: Readonly<Record<string, CardCount>> = {
  Component: 'components',
  Pattern: 'patterns',
  Decision: 'decisions',
  Path: 'paths',
};

type CardCount = 'components' | 'patterns' | 'decisions' | 'paths';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Counts what an imported document holds in the template's own slots. Pure. */
export function importReport(
  doc: SyspatDocument,
  template: TemplateSpec = systemPatternsTemplate,
): ImportReport {
  const cards: Record<CardCount, number> = { components: 0, patterns: 0, decisions: 0, paths: 0 };
  let diagrams = 0;
  let tables = 0;
  let rows = 0;
  const notesOnlySections: string[] = [];
  for (const spec of template.sections) {
    const section = doc.sections[spec.id];
    if (!section) continue;
    if (sectionState(section, spec) === 'notes-only') notesOnlySections.push(spec.heading);
    for (const blockSpec of spec.blocks) {
      const block = section.blocks[blockSpec.id];
      if (!block) continue;
      if (block.kind === 'cards' && blockSpec.kind === 'cards') {
        const count = CARD_COUNTS[blockSpec.cardLabel];
        if (count !== undefined) cards[count] += block.cards.filter(cardIsFilled).length;
      } else if (block.kind === 'diagram' && (block.diagram?.code.trim() ?? '') !== '') {
        diagrams += 1;
      } else if (block.kind === 'table') {
        const filled = filledRows(block.table);
        rows += filled;
        if (filled > 0) tables += 1;
      }
    }
  }
  const extraSections = doc.extraSections.map((s) =>
    s.heading.trim() === '' ? 'Untitled section' : s.heading.trim(),
  );
  const found = [
    cards.components > 0 && plural(cards.components, 'component', 'components'),
    cards.patterns > 0 && plural(cards.patterns, 'pattern', 'patterns'),
    cards.decisions > 0 && plural(cards.decisions, 'decision', 'decisions'),
    cards.paths > 0 && plural(cards.paths, 'path', 'paths'),
    diagrams > 0 && plural(diagrams, 'diagram', 'diagrams'),
    tables > 0 && plural(tables, 'table', 'tables'),
  ].filter((part): part is string => part !== false);
  const parts = [found.length > 0 ? found.join(', ') : 'nothing structured'];
  if (notesOnlySections.length > 0)
    parts.push(`${plural(notesOnlySections.length, 'section', 'sections')} kept as notes`);
  if (extraSections.length > 0)
    parts.push(plural(extraSections.length, 'extra section', 'extra sections'));
  return {
    ...cards,
    diagrams,
    tables,
    rows,
    notesOnlySections,
    extraSections,
    text: parts.join('; '),
  };
}
