/**
 * The vocabulary of the System Patterns template description. Everything else (zod schema,
 * forms, Yjs binding, markdown codec, lint) is driven by values of these types.
 */

/** How a single value is edited: one line of inline markdown, or a yes/no toggle. */
export type ValueKind = 'text' | 'yesno';

/** A labelled value, printed as `- **Label**: value`. */
export interface FieldSpec {
  readonly id: string;
  readonly label: string;
  readonly placeholder: string;
  readonly kind: ValueKind;
  /** Other spellings accepted on import (compared after normalisation). */
  readonly synonyms?: readonly string[];
}

/** A table column, printed as a header cell; cells hold inline markdown. */
export interface ColumnSpec {
  readonly id: string;
  readonly label: string;
  readonly placeholder: string;
  readonly kind: ValueKind;
  /** Other header cells that mean this column on import (compared after normalisation). */
  readonly synonyms?: readonly string[];
}

interface BlockBase {
  readonly id: string;
  /** The `###` heading that introduces the block. */
  readonly heading: string;
  readonly synonyms?: readonly string[];
  /** One-line help shown in the form. */
  readonly help?: string;
}

/** A diagram in a code fence (ASCII art, mermaid, ...). */
export interface DiagramBlockSpec extends BlockBase {
  readonly kind: 'diagram';
  readonly placeholder: string;
  /**
   * Under a section heading that names this block ("Component Relationships"), `###`
   * subsections that describe one thing are cards of this section ("### Networking Subsystem").
   */
  readonly subsectionCards?: string;
}

/** A list of labelled values. */
export interface FieldsBlockSpec extends BlockBase {
  readonly kind: 'fields';
  readonly style: ListStyle;
  readonly fields: readonly FieldSpec[];
}

/** A bullet list of free items. */
export interface ListBlockSpec extends BlockBase {
  readonly kind: 'list';
  /** Items printed when the list is empty; an imported list equal to them counts as empty. */
  readonly placeholder: readonly string[];
}

/** A GFM table with named columns; extra columns from imports are kept after these. */
export interface TableBlockSpec extends BlockBase {
  readonly kind: 'table';
  readonly columns: readonly ColumnSpec[];
  /** The template's own separator row, printed byte for byte when no column is extra. */
  readonly separator: string;
  /** Placeholders of the first rows, when they differ from the column placeholders. */
  readonly placeholderRows: readonly (readonly string[])[];
  /** How many empty rows a new document starts with. */
  readonly initialRows: number;
  /**
   * How a list of `**Name**: text` items reads as rows on import: the column the name goes
   * to and the column the text goes to.
   */
  readonly listColumns?: { readonly name: string; readonly text: string };
}

/** One card as the template shows it: its own title placeholder and which fields it has. */
export interface CardInstanceSpec {
  readonly titlePlaceholder: string;
  /** Field ids this card has; `undefined` means all fields of the card list. */
  readonly fields?: readonly string[];
  /** Step placeholders (step cards only). */
  readonly steps?: readonly string[];
}

/** A list of cards, each under `### {cardLabel} {n}: {title}`. */
export interface CardsBlockSpec {
  readonly kind: 'cards';
  readonly id: string;
  /** `Component`, `Pattern`, `Decision`, `Path`. */
  readonly cardLabel: string;
  readonly help?: string;
  /** Cards hold labelled fields, or a numbered list of steps. */
  readonly body: 'fields' | 'steps';
  readonly style: ListStyle;
  readonly fields: readonly FieldSpec[];
  /** Title placeholder of cards past the template's instances. */
  readonly titlePlaceholder: string;
  /** Step placeholders of step cards past the template's instances. */
  readonly stepPlaceholder: readonly string[];
  /** The cards of the unfilled template, in order. */
  readonly instances: readonly CardInstanceSpec[];
  /** The field that takes the text of a `**Name**: text` list item read as a card. */
  readonly primaryField?: string;
  /** The field that takes a card's unlabelled bullets and paragraphs on import. */
  readonly defaultField?: string;
  /**
   * `###` headings (in any section) whose list items are cards of this list: "Key Components".
   * A heading whose last word is one of `groupWords` means the same ("Backend Patterns").
   */
  readonly listHeadings?: readonly string[];
  readonly groupWords?: readonly string[];
  /** Words of headings that hold steps of this list ("flow", "workflow", "how X works"). */
  readonly stepHeadingWords?: readonly string[];
}

export type BlockSpec =
  DiagramBlockSpec | FieldsBlockSpec | ListBlockSpec | TableBlockSpec | CardsBlockSpec;

export type BlockKind = BlockSpec['kind'];

export type ListStyle = 'bullet' | 'numbered';

export interface SectionSpec {
  readonly id: string;
  /** The `##` heading as the template writes it. */
  readonly heading: string;
  /** Headings of other files that mean this section (any language), compared normalised. */
  readonly synonyms: readonly string[];
  /** Notes the unfilled template carries under the heading, before the first block. */
  readonly intro?: string;
  /** The diagram block that takes the first code fence written straight under the heading. */
  readonly leadDiagram?: string;
  /** The section whose cards a list of `**Name**: text` items straight under the heading holds. */
  readonly leadCards?: string;
  readonly blocks: readonly BlockSpec[];
}

/**
 * How import matches headings beyond names and synonyms: words before or after a name that do
 * not change what the heading means ("Overview", "概要"), and words that keep a heading from
 * being a card list ("Component Relationships" is not a list of components).
 */
export interface HeadingRules {
  readonly prefixes: readonly string[];
  readonly suffixes: readonly string[];
  readonly notCards: readonly string[];
}

export interface TemplateSpec {
  readonly title: string;
  readonly headingRules?: HeadingRules;
  /** What the unfilled template has between the title and the first section. */
  readonly intro: string;
  /** What the unfilled template has after the last section (rule and italic line). */
  readonly footer: string;
  readonly sections: readonly SectionSpec[];
}
