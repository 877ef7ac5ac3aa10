import type * as Y from 'yjs';
import type {
  BlockSpec,
  CardsBlockSpec,
  FieldSpec,
  SectionSpec,
  TemplateSpec,
} from '@syspat/template';
import { systemPatternsTemplate } from '@syspat/template';
import type {
  Block,
  Card,
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
import { MODEL_VERSION } from '@syspat/model';
import { entriesOf, entryIdOf } from './entries.ts';
import { asArray, asMap, getRoot, optionalTextOf, textOf, type YMap } from './layout.ts';

/**
 * Reads the document a Y.Doc holds as a plain model. Tolerant by design: whatever a concurrent
 * edit or a foreign writer left (a missing key, a plain string where a Y.Text belongs, an entry
 * without id or order key), the result is a valid document of the template, and the same Y.Doc
 * state always reads the same. Only what the template knows is read: keys it does not know are
 * skipped, and each block is read as the kind the template gives it.
 */
export function readModel(
  ydoc: Y.Doc,
  template: TemplateSpec = systemPatternsTemplate,
): SyspatDocument {
  const root = getRoot(ydoc);
  const sections = asMap(root.get('sections'));
  const sectionIds = new Set(template.sections.map((s) => s.id));
  return {
    version: MODEL_VERSION,
    frontMatter: optionalTextOf(root, 'frontMatter'),
    title: optionalTextOf(root, 'title'),
    intro: textOf(root, 'intro'),
    sections: Object.fromEntries(
      template.sections.map((spec) => {
        const section = sections === null ? null : asMap(sections.get(spec.id));
        return [spec.id, section === null ? null : readSection(spec, section)];
      }),
    ),
    extraSections:
      readList(root, 'extraSections', (map, id) => readExtraSection(map, id, sectionIds)) ?? [],
    footer: optionalTextOf(root, 'footer'),
  };
}

/** The entries of the list at `key` in display order, or `null` when there is no list. */
function readList<T>(parent: YMap, key: string, read: (map: YMap, id: string) => T): T[] | null {
  const list = asArray(parent.get(key));
  if (list === null) return null;
  return entriesOf(list).map((entry, position) => read(entry.map, entryIdOf(entry.map, position)));
}

function readExtraSection(map: YMap, id: string, sectionIds: ReadonlySet<string>): ExtraSection {
  const depth = map.get('depth');
  const after = map.get('after');
  return {
    id,
    heading: textOf(map, 'heading'),
    depth:
      typeof depth === 'number' && Number.isInteger(depth) && depth >= 1 && depth <= 6 ? depth : 2,
    body: textOf(map, 'body'),
    after: typeof after === 'string' && sectionIds.has(after) ? after : null,
  };
}

function readSection(spec: SectionSpec, map: YMap): KnownSection {
  const blocks = asMap(map.get('blocks'));
  return {
    notes: textOf(map, 'notes'),
    blocks: Object.fromEntries(
      spec.blocks.map((blockSpec) => {
        const block = blocks === null ? null : asMap(blocks.get(blockSpec.id));
        return [blockSpec.id, block === null ? null : readBlock(blockSpec, block)];
      }),
    ),
    extraBlocks: readList(map, 'extraBlocks', readExtraBlock) ?? [],
  };
}

function readExtraBlock(map: YMap, id: string): ExtraBlock {
  return { id, heading: textOf(map, 'heading'), body: textOf(map, 'body') };
}

export function readBlock(spec: BlockSpec, map: YMap): Block {
  switch (spec.kind) {
    case 'diagram': {
      const diagram = asMap(map.get('diagram'));
      return {
        kind: 'diagram',
        notes: textOf(map, 'notes'),
        diagram:
          diagram === null
            ? null
            : { lang: textOf(diagram, 'lang'), code: textOf(diagram, 'code') },
      };
    }
    case 'fields':
      return {
        kind: 'fields',
        notes: textOf(map, 'notes'),
        fields: readFieldValues(map, spec.fields),
        extraFields: readList(map, 'extraFields', readExtraField) ?? [],
      };
    case 'list':
      return { kind: 'list', notes: textOf(map, 'notes'), items: readList(map, 'items', readItem) };
    case 'table': {
      const table = asMap(map.get('table'));
      return {
        kind: 'table',
        notes: textOf(map, 'notes'),
        table:
          table === null
            ? null
            : readTable(
                spec.columns.map((c) => c.id),
                table,
              ),
      };
    }
    case 'cards':
      return {
        kind: 'cards',
        cards: readList(map, 'cards', (card, id) => readCard(spec, card, id)) ?? [],
      };
  }
}

/** The template's fields that are present, in template order; unknown keys are not read. */
function readFieldValues(map: YMap, fields: readonly FieldSpec[]): Record<string, string> {
  const values = asMap(map.get('fields'));
  const result: Record<string, string> = {};
  if (values === null) return result;
  for (const field of fields) {
    const value = optionalTextOf(values, field.id);
    if (value !== null) result[field.id] = value;
  }
  return result;
}

function readExtraField(map: YMap, id: string): ExtraField {
  return { id, label: textOf(map, 'label'), value: textOf(map, 'value') };
}

function readItem(map: YMap, id: string): Item {
  return { id, text: textOf(map, 'text') };
}

function readExtraColumn(map: YMap, id: string): ExtraColumn {
  return { id, label: textOf(map, 'label') };
}

function readTable(columnIds: readonly string[], map: YMap): Table {
  const extraColumns = readList(map, 'extraColumns', readExtraColumn) ?? [];
  const known = [...columnIds, ...extraColumns.map((c) => c.id)];
  return {
    extraColumns,
    rows: readList(map, 'rows', (row, id) => readRow(known, row, id)) ?? [],
  };
}

/** Cells in column order, then cells of no column sorted by key: the same for every replica. */
function readRow(columnIds: readonly string[], map: YMap, id: string): TableRow {
  const cells = asMap(map.get('cells'));
  const result: Record<string, string> = {};
  if (cells !== null) {
    const known = new Set(columnIds);
    const others = [...cells.keys()].filter((key) => !known.has(key)).sort();
    for (const key of [...columnIds, ...others]) {
      const value = optionalTextOf(cells, key);
      if (value !== null) result[key] = value;
    }
  }
  return { id, cells: result };
}

export function readCard(spec: CardsBlockSpec, map: YMap, id: string): Card {
  return {
    id,
    title: textOf(map, 'title'),
    notes: textOf(map, 'notes'),
    fields: readFieldValues(map, spec.fields),
    extraFields: readList(map, 'extraFields', readExtraField) ?? [],
    steps: readList(map, 'steps', readItem),
  };
}
