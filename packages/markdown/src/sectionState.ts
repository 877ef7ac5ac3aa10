import type { SectionSpec } from '@syspat/template';
import type { Block, Card, KnownSection, Table } from '@syspat/model';

/**
 * How far a section is from being a form a reader can use:
 * - `structured`: at least one field, card, row, step, list item or diagram holds content;
 * - `notes-only`: it has text, but all of it sits in notes (or unknown subsections);
 * - `empty`: nothing but a heading and template placeholders;
 * - `absent`: the document has no such section.
 */
export type SectionState = 'structured' | 'notes-only' | 'empty' | 'absent';

const filled = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

/** A card someone has started: a title, a field value, an extra field or a step. */
export function cardIsFilled(card: Card): boolean {
  return (
    filled(card.title) ||
    Object.values(card.fields).some(filled) ||
    card.extraFields.some((f) => filled(f.value)) ||
    (card.steps ?? []).some((s) => filled(s.text))
  );
}

/** Rows with at least one non-empty cell. */
export function filledRows(table: Table | null): number {
  return (table?.rows ?? []).filter((row) => Object.values(row.cells).some(filled)).length;
}

/** True when the block holds content in its own slots (not counting its notes). */
export function blockIsStructured(block: Block | null | undefined): boolean {
  if (!block) return false;
  switch (block.kind) {
    case 'cards':
      return block.cards.some(cardIsFilled);
    case 'diagram':
      return filled(block.diagram?.code);
    case 'fields':
      return (
        Object.values(block.fields).some(filled) || block.extraFields.some((f) => filled(f.value))
      );
    case 'list':
      return (block.items ?? []).some((i) => filled(i.text));
    case 'table':
      return filledRows(block.table) > 0;
  }
}

/**
 * Text kept as notes anywhere in the section: its own notes (other than the template's intro
 * line), block and card notes, unknown subsections.
 */
export function sectionHasNotes(section: KnownSection, spec: SectionSpec): boolean {
  if (filled(section.notes) && section.notes.trim() !== (spec.intro ?? '').trim()) return true;
  if (section.extraBlocks.some((b) => filled(b.body) || filled(b.heading))) return true;
  return Object.values(section.blocks).some((block) => {
    if (!block) return false;
    if (block.kind === 'cards') return block.cards.some((c) => filled(c.notes));
    return filled(block.notes);
  });
}

export function sectionState(
  section: KnownSection | null | undefined,
  spec: SectionSpec,
): SectionState {
  if (!section) return 'absent';
  if (spec.blocks.some((b) => blockIsStructured(section.blocks[b.id]))) return 'structured';
  return sectionHasNotes(section, spec) ? 'notes-only' : 'empty';
}
