import type {
  BlockSpec,
  CardsBlockSpec,
  DiagramBlockSpec,
  FieldSpec,
  FieldsBlockSpec,
  ListBlockSpec,
  ListStyle,
  SectionSpec,
  TableBlockSpec,
  TemplateSpec,
} from '@syspat/template';
import { systemPatternsTemplate } from '@syspat/template';
import type {
  Block,
  Card,
  ExtraSection,
  FieldValues,
  Item,
  KnownSection,
  SyspatDocument,
} from '@syspat/model';

/** Joins non-empty parts with one blank line between them, as the template does. */
const paragraphs = (parts: readonly (string | null | undefined)[]): string =>
  parts.filter((p): p is string => p !== null && p !== undefined && p !== '').join('\n\n');

/** A `###` heading directly followed by its body: the template puts no blank line there. */
const headed = (heading: string, body: string): string =>
  body === '' ? heading : `${heading}\n${body}`;

function marker(style: ListStyle, index: number): string {
  return style === 'numbered' ? `${index + 1}. ` : '- ';
}

/** One list item; continuation lines are indented under the marker so they stay in the item. */
function listItem(mark: string, text: string): string {
  const [first = '', ...rest] = text.split('\n');
  const indent = ' '.repeat(mark.length);
  const continuation = rest.map((line) => (line === '' ? '' : `${indent}${line}`));
  return [`${mark}${first}`.trimEnd(), ...continuation].join('\n');
}

function printFieldList(
  values: FieldValues,
  fields: readonly FieldSpec[],
  style: ListStyle,
): string {
  const lines: string[] = [];
  for (const field of fields) {
    const value = values.fields[field.id];
    if (value === undefined) continue;
    lines.push(
      listItem(
        marker(style, lines.length),
        `**${field.label}**: ${value.trim() === '' ? field.placeholder : value}`,
      ),
    );
  }
  for (const extra of values.extraFields) {
    lines.push(listItem(marker(style, lines.length), `**${extra.label}**: ${extra.value}`));
  }
  return lines.join('\n');
}

function printItems(
  items: readonly Item[] | null,
  placeholder: readonly string[],
  style: ListStyle,
): string | null {
  if (items === null) return null;
  const texts =
    items.length === 0 ? placeholder : items.map((i) => (i.text.trim() === '' ? '[...]' : i.text));
  return texts.map((text, index) => listItem(marker(style, index), text)).join('\n');
}

/** A fence longer than any fence-like run inside the code, so the code cannot close it. */
function fenceFor(code: string): string {
  let longest = 2;
  for (const match of code.matchAll(/^[ \t]*(`{3,})/gm))
    longest = Math.max(longest, match[1]?.length ?? 0);
  return '`'.repeat(longest + 1);
}

function printDiagram(lang: string, code: string, spec: DiagramBlockSpec): string {
  const body = code === '' ? spec.placeholder : code;
  const fence = fenceFor(body);
  return `${fence}${lang}\n${body}\n${fence}`;
}

const escapeCell = (text: string): string => text.replace(/\n+/g, ' ').replace(/(?<!\\)\|/g, '\\|');

function printTable(block: Extract<Block, { kind: 'table' }>, spec: TableBlockSpec): string | null {
  const table = block.table;
  if (!table) return null;
  const labels = [...spec.columns.map((c) => c.label), ...table.extraColumns.map((c) => c.label)];
  const separator =
    table.extraColumns.length === 0
      ? spec.separator
      : `${spec.separator}${table.extraColumns.map((c) => `${'-'.repeat(Math.max(3, c.label.length + 2))}|`).join('')}`;
  const rows = table.rows.map((row, index) => {
    const known = spec.columns.map((column, c) => {
      const value = row.cells[column.id] ?? '';
      return value.trim() === ''
        ? (spec.placeholderRows[index]?.[c] ?? column.placeholder)
        : escapeCell(value);
    });
    const extra = table.extraColumns.map((column) => escapeCell(row.cells[column.id] ?? ''));
    return `| ${[...known, ...extra].join(' | ')} |`;
  });
  return [`| ${labels.map(escapeCell).join(' | ')} |`, separator, ...rows].join('\n');
}

type FixedBlockSpec = Exclude<BlockSpec, CardsBlockSpec>;

/** One printer per block kind: the structured part of the block, or null when it has none. */
const structuredPrinters: {
  [K in FixedBlockSpec['kind']]: (
    block: Extract<Block, { kind: K }>,
    spec: Extract<FixedBlockSpec, { kind: K }>,
  ) => string | null;
} = {
  diagram: (block, spec: DiagramBlockSpec) =>
    block.diagram ? printDiagram(block.diagram.lang, block.diagram.code, spec) : null,
  fields: (block, spec: FieldsBlockSpec) => printFieldList(block, spec.fields, spec.style) || null,
  list: (block, spec: ListBlockSpec) => printItems(block.items, spec.placeholder, 'bullet'),
  table: (block, spec: TableBlockSpec) => printTable(block, spec),
};

function printFixedBlock(block: Block, spec: FixedBlockSpec): string {
  if (block.kind !== spec.kind) {
    throw new Error(
      `Block "${spec.id}" holds a ${block.kind} value but the template says ${spec.kind}.`,
    );
  }
  const printer = structuredPrinters[spec.kind] as (b: Block, s: FixedBlockSpec) => string | null;
  const notes = 'notes' in block ? block.notes : '';
  return headed(`### ${spec.heading}`, paragraphs([notes, printer(block, spec)]));
}

/** A `###` heading holds one line: a line break typed into a title becomes a space. */
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

function printCard(card: Card, spec: CardsBlockSpec, index: number): string {
  const title =
    card.title.trim() === ''
      ? (spec.instances[index]?.titlePlaceholder ?? spec.titlePlaceholder)
      : oneLine(card.title);
  const structured =
    spec.body === 'steps'
      ? printItems(card.steps, spec.instances[index]?.steps ?? spec.stepPlaceholder, spec.style)
      : printFieldList(card, spec.fields, spec.style) || null;
  return headed(
    `### ${spec.cardLabel} ${index + 1}: ${title}`,
    paragraphs([card.notes, structured]),
  );
}

function printSection(section: KnownSection, spec: SectionSpec): string {
  const blocks = spec.blocks.map((blockSpec) => {
    const block = section.blocks[blockSpec.id];
    if (!block) return null;
    if (blockSpec.kind === 'cards') {
      return block.kind === 'cards'
        ? paragraphs(block.cards.map((card, i) => printCard(card, blockSpec, i)))
        : null;
    }
    return printFixedBlock(block, blockSpec);
  });
  const extras = section.extraBlocks.map((b) =>
    headed(`### ${oneLine(b.heading)}`.trimEnd(), b.body),
  );
  return paragraphs([`## ${spec.heading}`, section.notes, ...blocks, ...extras]);
}

/**
 * An ATX heading, or a setext one when the text spans lines (a paragraph underlined with
 * `===` or `---` is a heading of several lines, and only setext can print it back).
 */
function printHeading(depth: number, text: string): string {
  if (text.includes('\n') && depth <= 2) return `${text}\n${depth === 1 ? '===' : '---'}`;
  return `${'#'.repeat(depth)} ${text.replace(/\n/g, ' ')}`.trimEnd();
}

function printExtraSection(section: ExtraSection): string {
  return paragraphs([printHeading(section.depth, section.heading), section.body]);
}

/**
 * The canonical markdown of a document: sections in template order, each section's unknown
 * neighbours right after it, every value as written, empty values as their placeholders.
 */
export function printMarkdown(
  doc: SyspatDocument,
  template: TemplateSpec = systemPatternsTemplate,
): string {
  const extrasAfter = (id: string | null) =>
    doc.extraSections.filter(
      (s) => s.after === id || (id === null && !template.sections.some((t) => t.id === s.after)),
    );
  const parts: (string | null)[] = [
    doc.frontMatter,
    doc.title === null ? null : printHeading(1, doc.title),
    doc.intro,
  ];
  parts.push(...extrasAfter(null).map(printExtraSection));
  for (const spec of template.sections) {
    const section = doc.sections[spec.id];
    if (section) parts.push(printSection(section, spec));
    parts.push(...extrasAfter(spec.id).map(printExtraSection));
  }
  parts.push(doc.footer);
  const text = paragraphs(parts);
  return text === '' ? '' : `${text}\n`;
}
