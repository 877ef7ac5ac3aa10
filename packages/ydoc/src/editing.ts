import * as Y from 'yjs';
import type { CardsBlockSpec, TemplateSpec } from '@syspat/template';
import { systemPatternsTemplate } from '@syspat/template';
import type {
  Card,
  ExtraBlock,
  ExtraColumn,
  ExtraField,
  ExtraSection,
  Item,
  TableRow,
} from '@syspat/model';
import { createCard, createRow, newId } from '@syspat/model';
import { entriesOf, entryIdOf, keyAt, physicalIndexAt, type Entry } from './entries.ts';
import { notAList, pathNotFound, unknownSection } from './errors.ts';
import { asArray, asMap, asText, getRoot, type YArray, type YMap } from './layout.ts';
import { patchOptionalText } from './patchModel.ts';
import {
  toYCard,
  toYExtraBlock,
  toYExtraColumn,
  toYExtraField,
  toYExtraSection,
  toYItem,
  toYRow,
} from './writeModel.ts';

/**
 * What the forms bind to. A path is the model's own path with list entries named by id, so it is
 * also the Yjs path (layout.ts): `['title']`, `['sections', 'data', 'blocks', 'storage', 'table',
 * 'rows', rowId, 'cells', 'storage']`, `[...cardPath('components', cardId), 'fields', 'purpose']`.
 * Every change runs in one transaction with the given origin (the local origin of a user's
 * Y.UndoManager, so undo is per user).
 */

export type ModelPath = readonly string[];

/** The entry type of each kind of list, by the key the list has in its parent. */
export interface ListEntryTypes {
  readonly cards: Card;
  readonly rows: TableRow;
  readonly items: Item;
  readonly steps: Item;
  readonly extraFields: ExtraField;
  readonly extraColumns: ExtraColumn;
  readonly extraSections: ExtraSection;
  readonly extraBlocks: ExtraBlock;
}

export type ListName = keyof ListEntryTypes;

/** A path that ends in a list, e.g. `[...cardPath(s, id), 'steps']`. */
export type ListPath<K extends ListName = ListName> = readonly [...string[], K];

export interface EditOptions {
  /** The transaction origin (for Y.UndoManager and for not echoing one's own changes). */
  readonly origin?: unknown;
}

export interface InsertOptions extends EditOptions {
  /** Display position of the new entry; the end of the list when left out. */
  readonly index?: number;
}

const builders: { readonly [K in ListName]: (entry: ListEntryTypes[K], order: string) => YMap } = {
  cards: toYCard,
  rows: toYRow,
  items: toYItem,
  steps: toYItem,
  extraFields: toYExtraField,
  extraColumns: toYExtraColumn,
  extraSections: toYExtraSection,
  extraBlocks: toYExtraBlock,
};

function isListName(name: string | undefined): name is ListName {
  return name !== undefined && Object.hasOwn(builders, name);
}

export function sectionPath(sectionId: string): ModelPath {
  return ['sections', sectionId];
}

export function blockPath(sectionId: string, blockId: string): ModelPath {
  return ['sections', sectionId, 'blocks', blockId];
}

export function cardPath(sectionId: string, cardId: string, blockId = 'cards'): ModelPath {
  return [...blockPath(sectionId, blockId), 'cards', cardId];
}

function findEntry(list: YArray, id: string): Entry | undefined {
  const entries = entriesOf(list);
  return entries.find((entry, position) => entryIdOf(entry.map, position) === id);
}

/** What is at `path`, or `undefined`. */
function resolve(ydoc: Y.Doc, path: ModelPath): unknown {
  let at: unknown = getRoot(ydoc);
  for (const segment of path) {
    const map = asMap(at);
    const list = asArray(at);
    if (map !== null) at = map.get(segment);
    else if (list !== null) at = findEntry(list, segment)?.map;
    else return undefined;
  }
  return at;
}

/** The Y.Text a form input binds to, or `null` when the document has no such text. */
export function getText(ydoc: Y.Doc, path: ModelPath): Y.Text | null {
  return asText(resolve(ydoc, path));
}

export function getSectionMap(ydoc: Y.Doc, sectionId: string): Y.Map<unknown> | null {
  return asMap(resolve(ydoc, sectionPath(sectionId)));
}

export function getBlockMap(
  ydoc: Y.Doc,
  sectionId: string,
  blockId: string,
): Y.Map<unknown> | null {
  return asMap(resolve(ydoc, blockPath(sectionId, blockId)));
}

/** The Y.Array of a list; show its entries with `orderedEntries`, not in Y.Array order. */
export function getList(ydoc: Y.Doc, path: ListPath): Y.Array<unknown> | null {
  return asArray(resolve(ydoc, path));
}

export function getCardArray(
  ydoc: Y.Doc,
  sectionId: string,
  blockId = 'cards',
): Y.Array<unknown> | null {
  return getList(ydoc, [...blockPath(sectionId, blockId), 'cards']);
}

/** The entry maps of a list in display order (by order key, see layout.ts). */
export function orderedEntries(list: Y.Array<unknown>): Y.Map<unknown>[] {
  return entriesOf(list).map((entry) => entry.map);
}

/**
 * Sets the text at `path` by a minimal diff (a yes/no toggle, a programmatic fill), or removes
 * it with `null` (a card field the card should not have). Its parent must exist.
 */
export function setText(
  ydoc: Y.Doc,
  path: ModelPath,
  value: string | null,
  options: EditOptions = {},
): void {
  const key = path[path.length - 1];
  const parent = asMap(resolve(ydoc, path.slice(0, -1)));
  if (key === undefined || parent === null) throw pathNotFound(path);
  ydoc.transact(() => patchOptionalText(parent, key, value), options.origin ?? null);
}

/** Inserts an entry (with its own id) into the list at `path`, creating the list if missing. */
export function insertEntry<K extends ListName>(
  ydoc: Y.Doc,
  path: ListPath<K>,
  entry: ListEntryTypes[K],
  options: InsertOptions = {},
): void {
  const name = path[path.length - 1];
  if (!isListName(name)) throw notAList(path);
  const parent = asMap(resolve(ydoc, path.slice(0, -1)));
  if (parent === null) throw pathNotFound(path);
  const build = builders[name] as (entry: ListEntryTypes[K], order: string) => YMap;
  ydoc.transact(() => {
    let list = asArray(parent.get(name));
    if (list === null) {
      list = new Y.Array<unknown>();
      parent.set(name, list);
    }
    const entries = entriesOf(list);
    const position = Math.max(0, Math.min(options.index ?? entries.length, entries.length));
    const order = keyAt(entries, position);
    list.insert(physicalIndexAt(list, entries, position), [build(entry, order)]);
  }, options.origin ?? null);
}

/** Removes the entry with `id`; `false` when the list has none. */
export function removeEntry(
  ydoc: Y.Doc,
  path: ListPath,
  id: string,
  options: EditOptions = {},
): boolean {
  const list = getList(ydoc, path);
  const entry = list === null ? undefined : findEntry(list, id);
  if (list === null || entry === undefined) return false;
  ydoc.transact(() => list.delete(entry.index, 1), options.origin ?? null);
  return true;
}

/**
 * Moves the entry with `id` so that it is shown at `toIndex` (counted in the list without it).
 * Only its order key changes: the entry, its id and everything typed in it stay.
 */
export function moveEntry(
  ydoc: Y.Doc,
  path: ListPath,
  id: string,
  toIndex: number,
  options: EditOptions = {},
): boolean {
  const list = getList(ydoc, path);
  if (list === null) return false;
  const entries = entriesOf(list);
  const from = entries.findIndex((entry, position) => entryIdOf(entry.map, position) === id);
  const moved = entries[from];
  if (moved === undefined) return false;
  const rest = entries.filter((_, position) => position !== from);
  const to = Math.max(0, Math.min(toIndex, rest.length));
  if (to === from) return true;
  ydoc.transact(() => moved.map.set('order', keyAt(rest, to)), options.origin ?? null);
  return true;
}

function cardsSpec(template: TemplateSpec, sectionId: string, blockId: string): CardsBlockSpec {
  const block = template.sections
    .find((s) => s.id === sectionId)
    ?.blocks.find((b) => b.id === blockId);
  if (block?.kind !== 'cards') throw unknownSection(sectionId, 'cards');
  return block;
}

export interface InsertCardOptions extends InsertOptions {
  /** The cards block; `cards` when left out. */
  readonly blockId?: string;
  /** The fields the card has; all fields of the card list when left out. */
  readonly fieldIds?: readonly string[];
  readonly template?: TemplateSpec;
}

/** Adds an empty card (the model's `createCard`) and returns it. */
export function insertCard(ydoc: Y.Doc, sectionId: string, options: InsertCardOptions = {}): Card {
  const blockId = options.blockId ?? 'cards';
  const card = createCard(
    cardsSpec(options.template ?? systemPatternsTemplate, sectionId, blockId),
    newId,
    options.fieldIds,
  );
  insertEntry(ydoc, [...blockPath(sectionId, blockId), 'cards'], card, options);
  return card;
}

export function removeCard(
  ydoc: Y.Doc,
  sectionId: string,
  cardId: string,
  options: EditOptions & { readonly blockId?: string } = {},
): boolean {
  return removeEntry(
    ydoc,
    [...blockPath(sectionId, options.blockId ?? 'cards'), 'cards'],
    cardId,
    options,
  );
}

export function moveCard(
  ydoc: Y.Doc,
  sectionId: string,
  cardId: string,
  toIndex: number,
  options: EditOptions & { readonly blockId?: string } = {},
): boolean {
  return moveEntry(
    ydoc,
    [...blockPath(sectionId, options.blockId ?? 'cards'), 'cards'],
    cardId,
    toIndex,
    options,
  );
}

/** Adds an empty row (the model's `createRow`) to a table block and returns it. */
export function insertRow(
  ydoc: Y.Doc,
  sectionId: string,
  blockId: string,
  options: InsertOptions = {},
): TableRow {
  const row = createRow();
  insertEntry(ydoc, [...blockPath(sectionId, blockId), 'table', 'rows'], row, options);
  return row;
}

/** Adds a list item or a step (`path` ends in `items` or `steps`) and returns it. */
export function insertItem(
  ydoc: Y.Doc,
  path: ListPath<'items' | 'steps'>,
  options: InsertOptions & { readonly text?: string } = {},
): Item {
  const item: Item = { id: newId(), text: options.text ?? '' };
  insertEntry(ydoc, path, item, options);
  return item;
}
