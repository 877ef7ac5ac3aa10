import * as Y from 'yjs';
import type {
  Block,
  Card,
  Diagram,
  ExtraBlock,
  ExtraColumn,
  ExtraField,
  ExtraSection,
  Item,
  KnownSection,
  SyspatDocument,
  Table,
  TableRow,
} from '@syspat/model';
import { docNotEmpty } from './errors.ts';
import { DOCUMENT_VERSION, getRoot, newText, type YMap } from './layout.ts';
import { writeLayoutVersion } from './layoutVersion.ts';
import { keysBetween } from './orderKey.ts';

/**
 * Builders of the Yjs form of each part of the model (layout.ts), as preliminary types that
 * integrate when they are inserted. `applyModel` builds a whole document with them; the patch
 * and the editing helpers use them for whatever they add.
 */

type Value = Y.Text | YMap | Y.Array<YMap> | string | number | null;

function mapOf(entries: readonly (readonly [string, Value | undefined])[]): YMap {
  const map = new Y.Map<unknown>();
  for (const [key, value] of entries) {
    if (value !== undefined) map.set(key, value);
  }
  return map;
}

function textMap(values: Readonly<Record<string, string>>): YMap {
  return mapOf(Object.entries(values).map(([key, value]) => [key, newText(value)]));
}

/** A list (`Y.Array` of entry maps) with evenly spread order keys. */
export function toYList<T>(
  values: readonly T[],
  build: (value: T, order: string) => YMap,
): Y.Array<YMap> {
  const keys = keysBetween(null, null, values.length);
  return Y.Array.from(values.map((value, i) => build(value, keys[i] ?? '')));
}

export function toYItem(item: Item, order: string): YMap {
  return mapOf([
    ['id', item.id],
    ['order', order],
    ['text', newText(item.text)],
  ]);
}

export function toYExtraField(field: ExtraField, order: string): YMap {
  return mapOf([
    ['id', field.id],
    ['order', order],
    ['label', newText(field.label)],
    ['value', newText(field.value)],
  ]);
}

export function toYExtraColumn(column: ExtraColumn, order: string): YMap {
  return mapOf([
    ['id', column.id],
    ['order', order],
    ['label', newText(column.label)],
  ]);
}

export function toYRow(row: TableRow, order: string): YMap {
  return mapOf([
    ['id', row.id],
    ['order', order],
    ['cells', textMap(row.cells)],
  ]);
}

export function toYCard(card: Card, order: string): YMap {
  return mapOf([
    ['id', card.id],
    ['order', order],
    ['title', newText(card.title)],
    ['notes', newText(card.notes)],
    ['fields', textMap(card.fields)],
    ['extraFields', toYList(card.extraFields, toYExtraField)],
    ['steps', card.steps === null ? undefined : toYList(card.steps, toYItem)],
  ]);
}

export function toYExtraBlock(block: ExtraBlock, order: string): YMap {
  return mapOf([
    ['id', block.id],
    ['order', order],
    ['heading', newText(block.heading)],
    ['body', newText(block.body)],
  ]);
}

export function toYExtraSection(section: ExtraSection, order: string): YMap {
  return mapOf([
    ['id', section.id],
    ['order', order],
    ['heading', newText(section.heading)],
    ['depth', section.depth],
    ['body', newText(section.body)],
    ['after', section.after],
  ]);
}

export function toYDiagram(diagram: Diagram): YMap {
  return mapOf([
    ['lang', newText(diagram.lang)],
    ['code', newText(diagram.code)],
  ]);
}

export function toYTable(table: Table): YMap {
  return mapOf([
    ['extraColumns', toYList(table.extraColumns, toYExtraColumn)],
    ['rows', toYList(table.rows, toYRow)],
  ]);
}

export function toYBlock(block: Block): YMap {
  switch (block.kind) {
    case 'diagram':
      return mapOf([
        ['kind', block.kind],
        ['notes', newText(block.notes)],
        ['diagram', block.diagram === null ? undefined : toYDiagram(block.diagram)],
      ]);
    case 'fields':
      return mapOf([
        ['kind', block.kind],
        ['notes', newText(block.notes)],
        ['fields', textMap(block.fields)],
        ['extraFields', toYList(block.extraFields, toYExtraField)],
      ]);
    case 'list':
      return mapOf([
        ['kind', block.kind],
        ['notes', newText(block.notes)],
        ['items', block.items === null ? undefined : toYList(block.items, toYItem)],
      ]);
    case 'table':
      return mapOf([
        ['kind', block.kind],
        ['notes', newText(block.notes)],
        ['table', block.table === null ? undefined : toYTable(block.table)],
      ]);
    case 'cards':
      return mapOf([
        ['kind', block.kind],
        ['cards', toYList(block.cards, toYCard)],
      ]);
  }
}

export function toYSection(section: KnownSection): YMap {
  const blocks = Object.entries(section.blocks).flatMap(([id, block]) =>
    block ? [[id, toYBlock(block)] as const] : [],
  );
  return mapOf([
    ['notes', newText(section.notes)],
    ['blocks', mapOf(blocks)],
    ['extraBlocks', toYList(section.extraBlocks, toYExtraBlock)],
  ]);
}

/** Writes the document's top level into `root`, which must be empty. */
function writeDocument(root: YMap, model: SyspatDocument): void {
  const sections = Object.entries(model.sections).flatMap(([id, section]) =>
    section ? [[id, toYSection(section)] as const] : [],
  );
  root.set('version', DOCUMENT_VERSION);
  if (model.frontMatter !== null) root.set('frontMatter', newText(model.frontMatter));
  if (model.title !== null) root.set('title', newText(model.title));
  root.set('intro', newText(model.intro));
  root.set('sections', mapOf(sections));
  root.set('extraSections', toYList(model.extraSections, toYExtraSection));
  if (model.footer !== null) root.set('footer', newText(model.footer));
}

/**
 * Fills an empty Y.Doc with a document, in one transaction (one update), stamped with the
 * current layout version. A Y.Doc that already holds a document is refused (`DOC_NOT_EMPTY`):
 * change a live document with `patchModel`.
 */
export function applyModel(ydoc: Y.Doc, model: SyspatDocument, origin?: unknown): void {
  const root = getRoot(ydoc);
  if (root.size > 0) throw docNotEmpty();
  ydoc.transact(() => {
    writeDocument(root, model);
    writeLayoutVersion(ydoc);
  }, origin ?? null);
}
