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
import { deleteIndexes, entriesOf, entryIdOf, hasUsableOrder, isEntryId } from './entries.ts';
import {
  asArray,
  asMap,
  DOCUMENT_VERSION,
  getRoot,
  newText,
  textOf,
  type YArray,
  type YMap,
} from './layout.ts';
import { assertLayoutEditable, migrateDocument, writeLayoutVersion } from './layoutVersion.ts';
import { jitteredKeyBetween, keysBetween } from './orderKey.ts';
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
  toYList,
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

interface ListCodec<T extends { readonly id: string }> {
  /** What identifies an entry when ids do not match (see `patchModel`). */
  readonly key: (value: T) => string;
  readonly liveKey: (map: YMap) => string;
  readonly build: (value: T, order: string) => YMap;
  readonly patch: (map: YMap, value: T) => void;
}

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

/** `null` deletes the list (only lists that may be null get it); a missing list is created. */
function patchChildList<T extends { readonly id: string }>(
  parent: YMap,
  key: string,
  values: readonly T[] | null,
  codec: ListCodec<T>,
): void {
  if (values === null) {
    if (parent.has(key)) parent.delete(key);
    return;
  }
  const live = asArray(parent.get(key));
  if (live === null) parent.set(key, toYList(values, codec.build));
  else patchList(live, values, codec);
}

const NOT_PAIRED = -1;

/** For each target, the display position of the live entry it becomes, or `NOT_PAIRED`. */
function pairEntries<T extends { readonly id: string }>(
  liveIds: readonly string[],
  maps: readonly YMap[],
  targets: readonly T[],
  codec: ListCodec<T>,
): number[] {
  const used = new Array<boolean>(liveIds.length).fill(false);
  const byId = new Map<string, number>();
  liveIds.forEach((id, position) => {
    if (!byId.has(id)) byId.set(id, position);
  });
  const pairs = targets.map((target) => {
    const position = byId.get(target.id);
    if (position === undefined || used[position] === true) return NOT_PAIRED;
    used[position] = true;
    return position;
  });
  if (!pairs.includes(NOT_PAIRED) || !used.includes(false)) return pairs;

  // Fallback for ids the list does not have: an equal content key, first come first served.
  const byKey = new Map<string, number[]>();
  maps.forEach((map, position) => {
    if (used[position] === true) return;
    const key = codec.liveKey(map);
    const queue = byKey.get(key);
    if (queue === undefined) byKey.set(key, [position]);
    else queue.push(position);
  });
  targets.forEach((target, index) => {
    if (pairs[index] !== NOT_PAIRED || byId.has(target.id)) return;
    const queue = byKey.get(codec.key(target));
    const position = queue?.shift();
    if (position === undefined) return;
    used[position] = true;
    pairs[index] = position;
  });
  // Then the leftovers between the same two paired neighbours, in order.
  let index = 0;
  while (index < targets.length) {
    if (pairs[index] !== NOT_PAIRED) {
      index++;
      continue;
    }
    let end = index;
    while (end < targets.length && pairs[end] === NOT_PAIRED) end++;
    const low = index > 0 ? (pairs[index - 1] ?? -1) : -1;
    const high = end < targets.length ? (pairs[end] ?? liveIds.length) : liveIds.length;
    let position = low + 1;
    for (let i = index; i < end; i++) {
      const target = targets[i];
      if (target === undefined || byId.has(target.id)) continue;
      while (position < high && used[position] === true) position++;
      if (position >= high) break;
      used[position] = true;
      pairs[i] = position;
      position++;
    }
    index = end;
  }
  return pairs;
}

/** Indexes into `values` of one longest strictly increasing subsequence. */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(values.length).fill(-1);
  values.forEach((value, i) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((values[tails[middle] ?? 0] ?? 0) < value) low = middle + 1;
      else high = middle;
    }
    previous[i] = low > 0 ? (tails[low - 1] ?? -1) : -1;
    tails[low] = i;
  });
  const result = new Set<number>();
  let at = tails[tails.length - 1] ?? -1;
  while (at >= 0) {
    result.add(at);
    at = previous[at] ?? -1;
  }
  return result;
}

function patchList<T extends { readonly id: string }>(
  list: YArray,
  targets: readonly T[],
  codec: ListCodec<T>,
): void {
  const entries = entriesOf(list);
  const maps = entries.map((e) => e.map);
  const liveIds = entries.map((e, position) => entryIdOf(e.map, position));
  const pairs = pairEntries(liveIds, maps, targets, codec);

  // Order keys: entries of a longest run already in display order keep theirs; the others get
  // keys between their neighbours in that run.
  const usable = hasUsableOrder(entries);
  const pairedIndexes = targets.flatMap((_, index) => (pairs[index] === NOT_PAIRED ? [] : [index]));
  const inRun = longestIncreasing(pairedIndexes.map((index) => pairs[index] ?? 0));
  const anchors = new Set(usable ? [...inRun].map((i) => pairedIndexes[i] ?? -1) : []);
  const orderOf = (index: number): string => entries[pairs[index] ?? NOT_PAIRED]?.order ?? '';
  const keys: string[] = new Array<string>(targets.length).fill('');
  let low: string | null = null;
  let index = 0;
  while (index < targets.length) {
    if (anchors.has(index)) {
      low = orderOf(index);
      keys[index] = low;
      index++;
      continue;
    }
    let end = index;
    while (end < targets.length && !anchors.has(end)) end++;
    const high = end < targets.length ? orderOf(end) : null;
    const spread = keysBetween(low, high, end - index);
    // In a list with usable keys, new keys get jitter as the editing helpers' do, so two
    // replicas patching at one place at once rarely make equal keys. A list being renumbered
    // gets the same keys on every replica instead.
    let previous = low;
    spread.forEach((key, offset) => {
      const next = spread[offset + 1] ?? high;
      keys[index + offset] = usable ? jitteredKeyBetween(previous, next) : key;
      previous = keys[index + offset] ?? key;
    });
    index = end;
  }

  // Delete leftovers (and anything in the Y.Array that is not an entry).
  const used = new Set(pairs.filter((p) => p !== NOT_PAIRED));
  const doomed: number[] = [];
  entries.forEach((entry, position) => {
    if (!used.has(position)) doomed.push(entry.index);
  });
  list.forEach((value, i) => {
    if (!(value instanceof Y.Map)) doomed.push(i);
  });
  deleteIndexes(list, doomed);

  // Patch the kept entries in place.
  targets.forEach((target, i) => {
    const position = pairs[i] ?? NOT_PAIRED;
    const map = maps[position];
    if (map === undefined) return;
    if (!isEntryId(map.get('id'))) map.set('id', target.id);
    const key = keys[i] ?? '';
    if (map.get('order') !== key) map.set('order', key);
    codec.patch(map, target);
  });

  // Insert the new ones, each run right after the Y.Array place of the entry it follows.
  const physical = new Map<YMap, number>();
  list.forEach((value, i) => {
    if (value instanceof Y.Map) physical.set(value as YMap, i);
  });
  const runs: { at: number; maps: YMap[] }[] = [];
  let after = 0;
  let run: { at: number; maps: YMap[] } | null = null;
  targets.forEach((target, i) => {
    const map = maps[pairs[i] ?? NOT_PAIRED];
    if (map !== undefined) {
      after = (physical.get(map) ?? -1) + 1;
      run = null;
      return;
    }
    if (run === null) {
      run = { at: after, maps: [] };
      runs.push(run);
    }
    run.maps.push(codec.build(target, keys[i] ?? ''));
  });
  runs.sort((a, b) => b.at - a.at);
  for (const { at, maps: inserted } of runs) list.insert(at, inserted);
}
