import type { CardsBlockSpec, TableBlockSpec, TemplateSpec } from '@syspat/template';
import { systemPatternsTemplate } from '@syspat/template';
import type { Block, Card, SyspatDocument, TableRow } from '@syspat/model';

export interface CardCensus {
  readonly title: string;
  /** Steps that are not the template's placeholders (step cards only). */
  readonly steps: number;
  /** At least one field, extra field or step holds something other than a placeholder. */
  readonly filled: boolean;
}

export interface DiagramCensus {
  /** Id of the diagram block it sits in (`highLevel`, `flow`, `internal`), or `other`. */
  readonly slot: string;
  readonly lang: string;
}

/** What an imported document holds as structure, and how much of its text stayed notes. */
export interface StructureCensus {
  /** Cards keyed by the id of the section that holds them (`components`, `decisions`, ...). */
  readonly cards: Readonly<Record<string, readonly CardCensus[]>>;
  /** First non-empty cell of each row, keyed `section.block` (`data.storage`, ...). */
  readonly tableRows: Readonly<Record<string, readonly string[]>>;
  readonly diagrams: readonly DiagramCensus[];
  /** Known sections that have words, all of them in notes. */
  readonly notesOnlySections: readonly string[];
  readonly extraSections: number;
  /** Words in notes, extra blocks and extra sections vs. words in titles, fields, rows, steps, diagrams. */
  readonly words: { readonly notes: number; readonly structured: number };
}

const wordCount = (text: string): number => text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;

// Keys that hold free markdown kept as written; every other string a person wrote is structure.
const notesKeys = new Set(['notes', 'body', 'intro', 'footer']);
// Keys that are names of things or bookkeeping, not body text.
const skippedKeys = new Set(['id', 'kind', 'heading', 'after', 'lang', 'frontMatter', 'version']);

/** Adds up the words under `value`, split into notes and structure by the key that holds them. */
function countWords(value: unknown, key: string, into: { notes: number; structured: number }) {
  if (typeof value === 'string') {
    if (skippedKeys.has(key)) return;
    if (notesKeys.has(key)) into.notes += wordCount(value);
    else into.structured += wordCount(value);
  } else if (Array.isArray(value)) {
    for (const item of value) countWords(item, key, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) countWords(v, k, into);
  }
}

function isDiagram(value: unknown): value is { lang: string; code: string } {
  if (value === null || typeof value !== 'object') return false;
  const { lang, code } = value as Record<string, unknown>;
  return typeof lang === 'string' && typeof code === 'string';
}

/** Every `{ lang, code }` under `value`: the shape a diagram has wherever a recognizer puts it. */
function findDiagrams(value: unknown, found: object[]) {
  if (isDiagram(value)) found.push(value);
  else if (Array.isArray(value)) for (const item of value) findDiagrams(item, found);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) findDiagrams(v, found);
}

function readCard(card: Card, spec: CardsBlockSpec): CardCensus {
  const fieldPlaceholders = new Set(spec.fields.map((f) => f.placeholder));
  const stepPlaceholders = new Set([
    ...spec.stepPlaceholder,
    ...spec.instances.flatMap((i) => i.steps ?? []),
  ]);
  const real = (text: string, placeholders: Set<string>) =>
    text.trim() !== '' && !placeholders.has(text.trim());
  const steps = (card.steps ?? []).filter((s) => real(s.text, stepPlaceholders)).length;
  const filled =
    steps > 0 ||
    Object.values(card.fields).some((v) => real(v, fieldPlaceholders)) ||
    card.extraFields.some((f) => f.value.trim() !== '');
  return { title: card.title, steps, filled };
}

function firstCells(rows: readonly TableRow[], spec: TableBlockSpec, extra: readonly string[]) {
  const order = [...spec.columns.map((c) => c.id), ...extra];
  const placeholders = new Set([
    ...spec.columns.map((c) => c.placeholder),
    ...spec.placeholderRows.flat(),
  ]);
  return rows
    .map((row) => order.map((id) => row.cells[id]?.trim() ?? '').find((cell) => cell !== ''))
    .filter((cell): cell is string => cell !== undefined && !placeholders.has(cell));
}

function hasStructure(block: Block): boolean {
  switch (block.kind) {
    case 'cards':
      return block.cards.length > 0;
    case 'diagram':
      return block.diagram !== null;
    case 'fields':
      return Object.keys(block.fields).length > 0 || block.extraFields.length > 0;
    case 'list':
      return (block.items ?? []).length > 0;
    case 'table':
      return (block.table?.rows ?? []).length > 0;
  }
}

/**
 * Counts what a parsed document holds as cards, rows and diagrams. Diagrams are found by shape
 * (`{ lang, code }`) anywhere in the model, so one a recognizer keeps outside the template's
 * diagram slots still counts, as `other`.
 */
export function structureCensus(
  doc: SyspatDocument,
  template: TemplateSpec = systemPatternsTemplate,
): StructureCensus {
  const cards: Record<string, CardCensus[]> = {};
  const tableRows: Record<string, string[]> = {};
  const diagrams: DiagramCensus[] = [];
  const inSlots = new Set<object>();
  const notesOnlySections: string[] = [];
  for (const spec of template.sections) {
    const section = doc.sections[spec.id];
    if (!section) continue;
    for (const blockSpec of spec.blocks) {
      const block = section.blocks[blockSpec.id];
      if (!block) continue;
      if (block.kind === 'cards' && blockSpec.kind === 'cards')
        cards[spec.id] = block.cards.map((card) => readCard(card, blockSpec));
      if (block.kind === 'table' && blockSpec.kind === 'table' && block.table)
        tableRows[`${spec.id}.${blockSpec.id}`] = firstCells(
          block.table.rows,
          blockSpec,
          block.table.extraColumns.map((c) => c.id),
        );
      if (block.kind === 'diagram' && blockSpec.kind === 'diagram' && block.diagram) {
        if (block.diagram.code.trim() === blockSpec.placeholder.trim()) continue;
        inSlots.add(block.diagram);
        diagrams.push({ slot: blockSpec.id, lang: block.diagram.lang });
      }
    }
    const structured = Object.values(section.blocks).some((b) => b !== null && hasStructure(b));
    const words = { notes: 0, structured: 0 };
    countWords(section, '', words);
    if (!structured && words.notes > 0) notesOnlySections.push(spec.id);
  }
  const everyDiagram: object[] = [];
  findDiagrams(doc, everyDiagram);
  for (const diagram of everyDiagram)
    if (!inSlots.has(diagram) && isDiagram(diagram))
      diagrams.push({ slot: 'other', lang: diagram.lang });
  const words = { notes: 0, structured: 0 };
  // The `#` title names the document; it is a heading, not body text.
  countWords({ ...doc, title: null }, '', words);
  return {
    cards,
    tableRows,
    diagrams,
    notesOnlySections,
    extraSections: doc.extraSections.length,
    words,
  };
}
