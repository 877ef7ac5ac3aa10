import type { RootContent } from 'mdast';
import type { BlockSpec, CardsBlockSpec, TableBlockSpec } from '@syspat/template';
import type { Block, Table } from '@syspat/model';
import {
  readBlock,
  readDiagram,
  readLabelledList,
  readTable,
  toFieldValues,
  type BlockContext,
} from './parseBlocks.ts';
import { readLabelledItem } from './readItems.ts';

type FixedBlockSpec = Exclude<BlockSpec, CardsBlockSpec>;

/** Fence info strings that hold a picture: mermaid and friends, or ASCII art. */
const diagramLangs = new Set([
  '',
  'mermaid',
  'text',
  'txt',
  'ascii',
  'plain',
  'plaintext',
  'diagram',
  'dot',
  'graphviz',
  'plantuml',
  'svgbob',
]);

export const isDiagramLang = (lang: string): boolean =>
  diagramLangs.has(lang.split(/\s/)[0]?.toLowerCase() ?? '');

/** A list of `**Store**: what it keeps` items as rows: the name and the text to their columns. */
function readListRows(node: RootContent, spec: TableBlockSpec, context: BlockContext) {
  const columns = spec.listColumns;
  if (node.type !== 'list' || node.ordered || !columns) return undefined;
  const rows: Table['rows'][number][] = [];
  for (const item of node.children) {
    const entry = readLabelledItem(item, context.source);
    // A cell holds one line; an item with more under it is not a row.
    if (!entry || entry.value.includes('\n')) return undefined;
    rows.push({
      id: context.ids(),
      cells: { [columns.name]: entry.label, [columns.text]: entry.value },
    });
  }
  return { extraColumns: [], rows };
}

/** The structured value one node gives a fixed block, read leniently, or `undefined`. */
function recognizeNode(
  node: RootContent,
  spec: FixedBlockSpec,
  context: BlockContext,
): Block | undefined {
  switch (spec.kind) {
    case 'diagram': {
      const diagram = readDiagram(node, spec, context);
      return diagram && isDiagramLang(diagram.lang)
        ? { kind: 'diagram', notes: '', diagram }
        : undefined;
    }
    case 'table': {
      const table = readTable(node, spec, context, true) ?? readListRows(node, spec, context);
      return table && { kind: 'table', notes: '', table };
    }
    case 'fields': {
      const entries = readLabelledList(node, spec.style, context);
      const values = entries && toFieldValues(entries, spec.fields, context);
      return values && Object.keys(values.fields).length > 0
        ? { kind: 'fields', notes: '', ...values }
        : undefined;
    }
    case 'list':
      return undefined;
  }
}

/**
 * Finds the first node of `nodes` that gives `spec` its value (the first diagram fence, the
 * first table or `**Name**: text` list): the block, and the runs of nodes before and after it.
 */
export function recognizeBlock(
  nodes: readonly RootContent[],
  spec: FixedBlockSpec,
  context: BlockContext,
): { block: Block; before: RootContent[]; after: RootContent[] } | undefined {
  for (const [i, node] of nodes.entries()) {
    const block = recognizeNode(node, spec, context);
    if (block) return { block, before: nodes.slice(0, i), after: nodes.slice(i + 1) };
  }
  return undefined;
}

const hasValue = (block: Block): boolean =>
  (block.kind === 'diagram' && block.diagram !== null) ||
  (block.kind === 'table' && block.table !== null) ||
  (block.kind === 'fields' &&
    (Object.keys(block.fields).length > 0 || block.extraFields.length > 0));

/**
 * A `###` block of the template: its exact shape first; when that finds no value, the first
 * node that gives one, with the nodes before it kept as the block's notes. Notes print before
 * the value, so a value with anything after it stays in notes: moved ahead of the value, a
 * closing `---` would no longer end the document and a second fmt would read it differently.
 */
export function readBlockLenient(
  spec: FixedBlockSpec,
  body: readonly RootContent[],
  context: BlockContext,
): Block {
  const strict = readBlock(spec, body, context);
  if (hasValue(strict) || spec.kind === 'list') return strict;
  const found = recognizeBlock(body, spec, context);
  if (!found || found.after.length > 0) return strict;
  const last = found.before[found.before.length - 1];
  // Notes print before a field list; a bullet list at their end would run into it.
  if (spec.kind === 'fields' && last?.type === 'list' && !last.ordered) return strict;
  return { ...found.block, notes: context.source.blocks(found.before) } as Block;
}
