import type { ModelVersion } from './modelVersion.ts';

/**
 * The document model: a plain, JSON-serialisable object shaped by the template description.
 * Text values hold inline markdown exactly as written. Every card, row, step, list item,
 * extra field, extra column, extra section and extra block has a stable id.
 * "notes" hold markdown the template has no field for, kept as its exact source.
 */

export interface Item {
  readonly id: string;
  readonly text: string;
}

/** A `**Label**: value` line whose label the template does not know. */
export interface ExtraField {
  readonly id: string;
  readonly label: string;
  readonly value: string;
}

export interface ExtraColumn {
  readonly id: string;
  readonly label: string;
}

export interface TableRow {
  readonly id: string;
  /** Keyed by template column id or extra column id; a missing key is an empty cell. */
  readonly cells: Readonly<Record<string, string>>;
}

export interface Table {
  readonly extraColumns: readonly ExtraColumn[];
  readonly rows: readonly TableRow[];
}

export interface Diagram {
  /** The fence's info string: `mermaid`, `text`, or empty. */
  readonly lang: string;
  readonly code: string;
}

/** Labelled values; a field whose key is missing is not in the document at all. */
export interface FieldValues {
  readonly fields: Readonly<Record<string, string>>;
  readonly extraFields: readonly ExtraField[];
}

export interface DiagramBlock {
  readonly kind: 'diagram';
  readonly notes: string;
  readonly diagram: Diagram | null;
}

export interface FieldsBlock extends FieldValues {
  readonly kind: 'fields';
  readonly notes: string;
}

export interface ListBlock {
  readonly kind: 'list';
  readonly notes: string;
  /** `null`: no list; `[]`: a list not filled in yet (prints the placeholder). */
  readonly items: readonly Item[] | null;
}

export interface TableBlock {
  readonly kind: 'table';
  readonly notes: string;
  readonly table: Table | null;
}

export interface Card extends FieldValues {
  readonly id: string;
  readonly title: string;
  readonly notes: string;
  /** Step cards only: `null` no list, `[]` a list not filled in yet. */
  readonly steps: readonly Item[] | null;
}

export interface CardsBlock {
  readonly kind: 'cards';
  readonly cards: readonly Card[];
}

export type Block = DiagramBlock | FieldsBlock | ListBlock | TableBlock | CardsBlock;

/** A `###` block the template does not know, kept as written. */
export interface ExtraBlock {
  readonly id: string;
  readonly heading: string;
  readonly body: string;
}

export interface KnownSection {
  /** Markdown between the heading and the first block. */
  readonly notes: string;
  /** Keyed by block id; `null` when the document does not have that block. */
  readonly blocks: Readonly<Record<string, Block | null>>;
  readonly extraBlocks: readonly ExtraBlock[];
}

/** A section the template does not know, kept as written, after the known section `after`. */
export interface ExtraSection {
  readonly id: string;
  readonly heading: string;
  readonly depth: number;
  readonly body: string;
  /** Id of the known section it follows; `null` for before the first. */
  readonly after: string | null;
}

export interface SyspatDocument {
  /** MODEL_VERSION of the build that made it; `migrateModel` brings older ones up to date. */
  readonly version: ModelVersion;
  /** Front matter with its delimiters, exactly as written. */
  readonly frontMatter: string | null;
  /** Text of the `#` heading, `null` when the file has none. */
  readonly title: string | null;
  /** Markdown between the title and the first section. */
  readonly intro: string;
  /** Keyed by template section id; `null` when the document does not have that section. */
  readonly sections: Readonly<Record<string, KnownSection | null>>;
  readonly extraSections: readonly ExtraSection[];
  /** The closing rule and what follows it, exactly as written. */
  readonly footer: string | null;
}
