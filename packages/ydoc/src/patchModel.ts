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
import { asMap, DOCUMENT_VERSION, getRoot, newText, textOf, type YMap } from './layout.ts';
import { assertLayoutEditable, migrateDocument, writeLayoutVersion } from './layoutVersion.ts';
import { patchChildList, type ListCodec } from './patchList.ts';
import { applyTextDiff } from './textDiff.ts';
import {
  toYBlock,
  toYCard,
  toYDiagram,
  toYExtraBlock,
  toYExtraColumn,
  toYExtraField,
  toYExtraSection,
  toYItem,
  toYRow,
  toYSection,
  toYTable,
} from './writeModel.ts';

/**
 * Turns a new model into the smallest Yjs changes against the live document, in one
 * transaction, so that an import or a form save never clobbers what others type elsewhere:
 *
 * - A value equal to the live one is not touched at all; a changed text gets a minimal diff
 *   (textDiff.ts), so concurrent typing in the same field survives too.
 * - List entries (cards, rows, steps, items, extra fields, columns, sections, blocks) are matched
 *   by id first. A new entry whose id the list does not have (an import of a freshly parsed
 *   file, where every id is new) then takes over a leftover live entry: the first one with an
 *   equal content key (a card's title, an item's text, a field's or column's label, a heading,
 *   a row's cells), else a leftover between the same two matched neighbours, in order (the
 *   card whose title changed, in the place it had). A taken-over entry keeps its live id, so
 *   after the patch `readModel` equals the model up to those ids.
 * - Leftover live entries are deleted; new ones are inserted; the order is reached by rewriting
 *   the order keys of the fewest entries (all but a longest run already in order), never by
 *   deleting and re-inserting an entry.
 * - Absent in the model (`null` section, block, diagram, table, list, steps, front matter,
 *   title, footer; a missing field or cell key) is absent in Yjs, and the other way round.
 * - Keys of the live document the model has no place for (sections or blocks of another
 *   template) are left alone. Missing containers are created, so a damaged document heals.
 */
export function patchModel(ydoc: Y.Doc, model: SyspatDocument, origin?: unknown): void {
  // a layout this build does not know would be damaged by a patch written for an older one
  assertLayoutEditable(ydoc);
  ydoc.transact(() => {
    // an older layout is brought up to date first, in the same transaction (one update)
    migrateDocument(ydoc, origin ?? null);
    patchDocument(getRoot(ydoc), model);
    writeLayoutVersion(ydoc);
  }, origin ?? null);
}

function patchDocument(root: YMap, model: SyspatDocument): void {
  if (root.get('version') !== DOCUMENT_VERSION) root.set('version', DOCUMENT_VERSION);
  patchOptionalText(root, 'frontMatter', model.frontMatter);
  patchOptionalText(root, 'title', model.title);
  patchText(root, 'intro', model.intro);
  const sections = ensureMap(root, 'sections');
  for (const [id, section] of Object.entries(model.sections)) {
    patchChildMap(sections, id, section, toYSection, patchSection);
  }
  patchChildList(root, 'extraSections', model.extraSections, extraSectionCodec);
  patchOptionalText(root, 'footer', model.footer);
}

function patchSection(map: YMap, section: KnownSection): void {
  patchText(map, 'notes', section.notes);
  const blocks = ensureMap(map, 'blocks');
  for (const [id, block] of Object.entries(section.blocks)) {
    const live = asMap(blocks.get(id));
    if (block === null) {
      if (blocks.has(id)) blocks.delete(id);
    } else if (live === null) {
      blocks.set(id, toYBlock(block));
    } else {
      const kind = live.get('kind');
      if (kind === block.kind || kind === undefined) patchBlock(live, block);
      else blocks.set(id, toYBlock(block));
    }
  }
  patchChildList(map, 'extraBlocks', section.extraBlocks, extraBlockCodec);
}

function patchBlock(map: YMap, block: Block): void {
  if (map.get('kind') !== block.kind) map.set('kind', block.kind);
  switch (block.kind) {
    case 'diagram':
      patchText(map, 'notes', block.notes);
      patchChildMap(map, 'diagram', block.diagram, toYDiagram, patchDiagram);
      return;
    case 'fields':
      patchText(map, 'notes', block.notes);
      patchTextMap(map, 'fields', block.fields);
      patchChildList(map, 'extraFields', block.extraFields, extraFieldCodec);
      return;
    case 'list':
      patchText(map, 'notes', block.notes);
      patchChildList(map, 'items', block.items, itemCodec);
      return;
    case 'table':
      patchText(map, 'notes', block.notes);
      patchChildMap(map, 'table', block.table, toYTable, patchTable);
      return;
    case 'cards':
      patchChildList(map, 'cards', block.cards, cardCodec);
      return;
  }
}

function patchDiagram(map: YMap, diagram: Diagram): void {
  patchText(map, 'lang', diagram.lang);
  patchText(map, 'code', diagram.code);
}

function patchTable(map: YMap, table: Table): void {
  patchChildList(map, 'extraColumns', table.extraColumns, extraColumnCodec);
  patchChildList(map, 'rows', table.rows, rowCodec);
}

// ---------------------------------------------------------------------------------------------
// Values

/** Sets a text in place by a minimal diff; a missing key (or a stray non-text) gets a new Y.Text. */
export function patchText(map: YMap, key: string, value: string): void {
  const current = map.get(key);
  if (current instanceof Y.Text) applyTextDiff(current, value);
  else map.set(key, newText(value));
}

export function patchOptionalText(map: YMap, key: string, value: string | null): void {
  if (value !== null) patchText(map, key, value);
  else if (map.has(key)) map.delete(key);
}

function ensureMap(parent: YMap, key: string): YMap {
  const current = asMap(parent.get(key));
  if (current !== null) return current;
  const created = new Y.Map<unknown>();
  parent.set(key, created);
  return created;
}

/** A Y.Map of texts (field values, cells): keys the model lacks are deleted, the rest patched. */
function patchTextMap(parent: YMap, key: string, values: Readonly<Record<string, string>>): void {
  const map = ensureMap(parent, key);
  for (const existing of [...map.keys()]) {
    if (!Object.hasOwn(values, existing)) map.delete(existing);
  }
  for (const [id, value] of Object.entries(values)) patchText(map, id, value);
}

function patchChildMap<T>(
  parent: YMap,
  key: string,
  value: T | null,
  build: (value: T) => YMap,
  patch: (map: YMap, value: T) => void,
): void {
  if (value === null) {
    if (parent.has(key)) parent.delete(key);
    return;
  }
  const live = asMap(parent.get(key));
  if (live === null) parent.set(key, build(value));
  else patch(live, value);
}

function patchPlain(map: YMap, key: string, value: string | number | null): void {
  if (map.get(key) !== value || !map.has(key)) map.set(key, value);
}

// ---------------------------------------------------------------------------------------------
// Lists

const itemCodec: ListCodec<Item> = {
  key: (item) => item.text,
  liveKey: (map) => textOf(map, 'text'),
  build: toYItem,
  patch: (map, item) => patchText(map, 'text', item.text),
};

const extraFieldCodec: ListCodec<ExtraField> = {
  key: (field) => field.label,
  liveKey: (map) => textOf(map, 'label'),
  build: toYExtraField,
  patch: (map, field) => {
    patchText(map, 'label', field.label);
    patchText(map, 'value', field.value);
  },
};

const extraColumnCodec: ListCodec<ExtraColumn> = {
  key: (column) => column.label,
  liveKey: (map) => textOf(map, 'label'),
  build: toYExtraColumn,
  patch: (map, column) => patchText(map, 'label', column.label),
};

function cellsKey(cells: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(cells).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const rowCodec: ListCodec<TableRow> = {
  key: (row) => cellsKey(row.cells),
  liveKey: (map) => {
    const cells = asMap(map.get('cells'));
    const values: Record<string, string> = {};
    cells?.forEach((value, key) => {
      if (value instanceof Y.Text) values[key] = value.toJSON();
      else if (typeof value === 'string') values[key] = value;
    });
    return cellsKey(values);
  },
  build: toYRow,
  patch: (map, row) => patchTextMap(map, 'cells', row.cells),
};

const cardCodec: ListCodec<Card> = {
  key: (card) => card.title,
  liveKey: (map) => textOf(map, 'title'),
  build: toYCard,
  patch: (map, card) => {
    patchText(map, 'title', card.title);
    patchText(map, 'notes', card.notes);
    patchTextMap(map, 'fields', card.fields);
    patchChildList(map, 'extraFields', card.extraFields, extraFieldCodec);
    patchChildList(map, 'steps', card.steps, itemCodec);
  },
};

const extraBlockCodec: ListCodec<ExtraBlock> = {
  key: (block) => block.heading,
  liveKey: (map) => textOf(map, 'heading'),
  build: toYExtraBlock,
  patch: (map, block) => {
    patchText(map, 'heading', block.heading);
    patchText(map, 'body', block.body);
  },
};

const extraSectionCodec: ListCodec<ExtraSection> = {
  key: (section) => section.heading,
  liveKey: (map) => textOf(map, 'heading'),
  build: toYExtraSection,
  patch: (map, section) => {
    patchText(map, 'heading', section.heading);
    patchPlain(map, 'depth', section.depth);
    patchText(map, 'body', section.body);
    patchPlain(map, 'after', section.after);
  },
};
