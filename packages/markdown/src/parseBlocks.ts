import type { List, RootContent, Table as MdTable } from 'mdast';
import type {
  BlockSpec,
  CardsBlockSpec,
  ColumnSpec,
  DiagramBlockSpec,
  FieldSpec,
  FieldsBlockSpec,
  ListBlockSpec,
  ListStyle,
  TableBlockSpec,
} from '@syspat/template';
import { findField, normalizeHeading } from '@syspat/template';
import type { Block, Card, ExtraField, FieldValues, IdFactory, Item, Table } from '@syspat/model';
import { joinsFieldList, notesFollowFields, placeUnits, readUnits } from './readCardBody.ts';
import { isList, readLabelledItem, readPlainItem } from './readItems.ts';
import type { SourceText } from './sourceText.ts';

export interface BlockContext {
  readonly source: SourceText;
  readonly ids: IdFactory;
}

/**
 * Splits a block body into notes and the structured tail: a body is structured when its last
 * node has exactly the shape the template prints; anything before it is kept as notes. When
 * the tail does not fit, the whole body is notes and the structured part stays empty.
 */
function splitTail<T>(
  body: readonly RootContent[],
  context: BlockContext,
  readTail: (node: RootContent) => T | undefined,
): { notes: string; value: T | undefined } {
  const last = body[body.length - 1];
  const value = last ? readTail(last) : undefined;
  const noteNodes = value === undefined ? body : body.slice(0, -1);
  return { notes: context.source.blocks(noteNodes), value };
}

/**
 * Like splitTail for list-shaped values, but a run of adjacent lists at the end counts as one:
 * switching the marker (`-` to `*`) starts a new list in markdown, not in the writer's mind.
 */
function splitTailLists<T>(
  body: readonly RootContent[],
  context: BlockContext,
  readList: (node: RootContent) => T[] | undefined,
): { notes: string; value: T[] | undefined } {
  let start = body.length;
  const runs: T[][] = [];
  while (start > 0) {
    const node = body[start - 1] as RootContent;
    const values = readList(node);
    if (values === undefined) break;
    runs.unshift(values);
    start -= 1;
    // Numbered lists are not joined: their numbers would change.
    if (isList(node) && node.ordered) break;
  }
  // A list right before the run would join it once both are printed with the same marker.
  const before = body[start - 1];
  const joins =
    isList(before) &&
    runs.length > 0 &&
    isList(body[start]) &&
    Boolean(before.ordered) === Boolean((body[start] as List).ordered);
  if (runs.length === 0 || joins) return { notes: context.source.blocks(body), value: undefined };
  return { notes: context.source.blocks(body.slice(0, start)), value: runs.flat() };
}

interface LabelledEntry {
  readonly label: string;
  readonly value: string;
}

/** A list the printer can write back with the same numbers: bullets, or 1, 2, 3, ... */
export function isPrintableList(
  node: RootContent,
  ordered: boolean,
  source: SourceText,
): node is List {
  if (!isList(node) || Boolean(node.ordered) !== ordered) return false;
  return (
    !ordered ||
    node.children.every(
      (item, i) =>
        source.text.startsWith(`${i + 1}`, source.startOf(item)) &&
        /^[.)]/.test(source.text.slice(source.startOf(item) + `${i + 1}`.length)),
    )
  );
}

export function readLabelledList(
  node: RootContent,
  style: ListStyle,
  context: BlockContext,
): LabelledEntry[] | undefined {
  // A numbered list stays numbered and a bullet list stays bulleted: only the template's own
  // list style is read as fields.
  if (!isPrintableList(node, style === 'numbered', context.source)) return undefined;
  const entries: LabelledEntry[] = [];
  for (const item of node.children) {
    const labelled = readLabelledItem(item, context.source);
    if (!labelled) return undefined;
    entries.push(labelled);
  }
  return entries;
}

/** Labelled entries as field values; known labels by template id, the rest kept in order. */
export function toFieldValues(
  entries: readonly LabelledEntry[],
  fields: readonly FieldSpec[],
  context: BlockContext,
): FieldValues {
  const values: Record<string, string> = {};
  const extraFields: ExtraField[] = [];
  for (const entry of entries) {
    const field = findField(fields, entry.label);
    if (field && !(field.id in values))
      values[field.id] = isPlaceholder(entry.value, field.placeholder) ? '' : entry.value;
    else extraFields.push({ id: context.ids(), label: entry.label, value: entry.value });
  }
  return { fields: values, extraFields };
}

function readFieldTail(
  body: readonly RootContent[],
  fields: readonly FieldSpec[],
  style: ListStyle,
  context: BlockContext,
) {
  const { notes, value } = splitTailLists(body, context, (n) =>
    readLabelledList(n, style, context),
  );
  return { notes, value: value && toFieldValues(value, fields, context) };
}

export function readPlainList(
  node: RootContent,
  context: BlockContext,
  ordered: boolean,
): string[] | undefined {
  if (!isPrintableList(node, ordered, context.source)) return undefined;
  const texts: string[] = [];
  for (const item of node.children) {
    const text = readPlainItem(item, context.source);
    if (text === undefined) return undefined;
    texts.push(text);
  }
  return texts;
}

/** Plain items as a list; a list equal to its placeholder items is an empty list. */
function toItems(
  texts: readonly string[],
  placeholder: readonly string[],
  context: BlockContext,
): Item[] {
  if (texts.length === placeholder.length && texts.every((t, i) => t === placeholder[i])) return [];
  return texts.map((text) => ({ id: context.ids(), text }));
}

function readItemTail(
  body: readonly RootContent[],
  placeholder: readonly string[],
  context: BlockContext,
  ordered: boolean,
) {
  const { notes, value } = splitTailLists(body, context, (n) => readPlainList(n, context, ordered));
  return { notes, value: value && toItems(value, placeholder, context) };
}

function isPlaceholder(value: string, ...placeholders: (string | undefined)[]): boolean {
  return value !== '' && placeholders.includes(value);
}

export function readDiagram(node: RootContent, spec: DiagramBlockSpec, context: BlockContext) {
  if (node.type !== 'code') return undefined;
  const start = context.source.startOf(node);
  // Only a fence at the margin: an indented fence's content is un-indented by the parser.
  const atMargin = start === 0 || context.source.text[start - 1] === '\n';
  if (!atMargin || !/^(```|~~~)/.test(context.source.text.slice(start))) return undefined;
  const infoLine = context.source.text.slice(start, context.source.text.indexOf('\n', start) >>> 0);
  const lang = infoLine.replace(/^(`{3,}|~{3,})/, '').trim();
  const code = node.value;
  return { lang, code: lang === '' && code === spec.placeholder ? '' : code };
}

/**
 * A GFM table as rows of the template's table. Strict (the template's own shape): every template
 * column by its label, no alignment. Lenient (import of other shapes): headers by synonym too,
 * missing template columns are empty, alignment is not kept; at least one column must match.
 */
export function readTable(
  node: RootContent,
  spec: TableBlockSpec,
  context: BlockContext,
  lenient = false,
): Table | undefined {
  if (node.type !== 'table') return undefined;
  const table: MdTable = node;
  if (!lenient && table.align?.some((a) => a !== null)) return undefined;
  const [header, ...rows] = table.children;
  if (!header) return undefined;
  const labels = header.children.map((cell) =>
    unescapeCell(context.source.inlineContent(cell).trim()),
  );
  const columnIds: string[] = [];
  const extraColumns: { id: string; label: string }[] = [];
  const names = (c: ColumnSpec) => (lenient ? [c.label, ...(c.synonyms ?? [])] : [c.label]);
  for (const label of labels) {
    const column =
      spec.columns.find((c) => normalizeHeading(c.label) === normalizeHeading(label)) ??
      spec.columns.find(
        (c) =>
          !columnIds.includes(c.id) &&
          names(c).some((n) => normalizeHeading(n) === normalizeHeading(label)),
      );
    if (column && !columnIds.includes(column.id)) {
      columnIds.push(column.id);
    } else {
      const id = context.ids();
      columnIds.push(id);
      extraColumns.push({ id, label });
    }
  }
  const matched = spec.columns.filter((c) => columnIds.includes(c.id)).length;
  if (lenient ? matched === 0 : matched < spec.columns.length) return undefined;
  const parsedRows = [];
  for (const [index, row] of rows.entries()) {
    if (row.children.length > labels.length) return undefined;
    if (!lenient && row.children.length !== labels.length) return undefined;
    const cells: Record<string, string> = {};
    row.children.forEach((cell, i) => {
      const id = columnIds[i] ?? '';
      const value = unescapeCell(context.source.inlineContent(cell).trim());
      const column = spec.columns.find((c) => c.id === id);
      const rowPlaceholder = column
        ? spec.placeholderRows[index]?.[spec.columns.indexOf(column)]
        : undefined;
      cells[id] = column && isPlaceholder(value, column.placeholder, rowPlaceholder) ? '' : value;
    });
    parsedRows.push({ id: context.ids(), cells });
  }
  return { extraColumns, rows: parsedRows };
}

/** GFM escapes `|` inside cells (even in code spans); the model holds the unescaped text. */
function unescapeCell(text: string): string {
  return text.replace(/\\\|/g, '|');
}

type FixedBlockSpec = Exclude<BlockSpec, CardsBlockSpec>;

const blockReaders: {
  [K in FixedBlockSpec['kind']]: (
    body: readonly RootContent[],
    spec: Extract<FixedBlockSpec, { kind: K }>,
    context: BlockContext,
  ) => Block;
} = {
  diagram: (body, spec: DiagramBlockSpec, context) => {
    const { notes, value } = splitTail(body, context, (n) => readDiagram(n, spec, context));
    return { kind: 'diagram', notes, diagram: value ?? null };
  },
  fields: (body, spec: FieldsBlockSpec, context) => {
    const { notes, value } = readFieldTail(body, spec.fields, spec.style, context);
    return {
      kind: 'fields',
      notes,
      fields: value?.fields ?? {},
      extraFields: value?.extraFields ?? [],
    };
  },
  list: (body, spec: ListBlockSpec, context) => {
    const { notes, value } = readItemTail(body, spec.placeholder, context, false);
    return { kind: 'list', notes, items: value ?? null };
  },
  table: (body, spec: TableBlockSpec, context) => {
    const { notes, value } = splitTail(body, context, (n) => readTable(n, spec, context));
    return { kind: 'table', notes, table: value ?? null };
  },
};

/** Reads the body of a fixed `###` block with the reader of its kind. */
export function readBlock(
  spec: FixedBlockSpec,
  body: readonly RootContent[],
  context: BlockContext,
): Block {
  const reader = blockReaders[spec.kind] as (
    b: readonly RootContent[],
    s: FixedBlockSpec,
    c: BlockContext,
  ) => Block;
  return reader(body, spec, context);
}

/** The title a card heading gives: `Component 2: Auth API` → `Auth API`. */
export function readCardTitle(heading: string, spec: CardsBlockSpec, index: number): string {
  const labelled = new RegExp(`^${escapeRegExp(spec.cardLabel)}\\s*\\d*\\s*[:.\\-–—]\\s*`, 'iu');
  const title = labelled.test(heading)
    ? heading.replace(labelled, '')
    : heading.replace(/^\d+[.)]\s+/, '');
  const placeholder = spec.instances[index]?.titlePlaceholder;
  return isPlaceholder(title, placeholder, spec.titlePlaceholder) ? '' : title;
}

export function readCard(
  heading: string,
  body: readonly RootContent[],
  spec: CardsBlockSpec,
  index: number,
  context: BlockContext,
): Card {
  const title = readCardTitle(heading, spec, index);
  if (spec.body === 'steps') {
    const placeholder = spec.instances[index]?.steps ?? spec.stepPlaceholder;
    const { notes, value } = readItemTail(body, placeholder, context, true);
    return { id: context.ids(), title, notes, fields: {}, extraFields: [], steps: value ?? null };
  }
  return { id: context.ids(), title, ...readFieldCard(body, spec, context), steps: null };
}

/** A card of fields: labelled runs to their fields, unlabelled content to the default field. */
function readFieldCard(body: readonly RootContent[], spec: CardsBlockSpec, context: BlockContext) {
  const units = readUnits(body, context.source, 0);
  const placed = units && placeUnits(units, spec, context);
  const structured =
    placed && (Object.keys(placed.fields).length > 0 || placed.extraFields.length > 0);
  const misprints =
    structured && (joinsFieldList(units, placed.notes) || notesFollowFields(units, placed.notes));
  if (!units || !placed || misprints) {
    // Notes print before the field list; where that changes how they read, keep all as notes.
    return { notes: context.source.blocks(body), fields: {}, extraFields: [] };
  }
  return placed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
