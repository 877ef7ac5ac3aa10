import type { List, ListItem, Paragraph, RootContent } from 'mdast';
import type { SourceText } from './sourceText.ts';

/** A `**Label**: value` list item, split. */
export interface LabelledItem {
  readonly label: string;
  readonly value: string;
}

/**
 * The `**Label**:`, `**Label:**` or `**Label** — ` a paragraph opens with, and the offset where
 * its value starts. `undefined` when the paragraph opens otherwise.
 */
export function readLeadingLabel(
  paragraph: Paragraph,
  source: SourceText,
  end: number,
): { label: string; rest: number } | undefined {
  const strong = paragraph.children[0];
  if (strong?.type !== 'strong' || strong.children.length === 0) return undefined;
  // The strong must open the paragraph: `***x**` or `**a** **b**` shapes are not labels.
  if (source.startOf(strong) !== source.startOf(paragraph)) return undefined;
  if (source.text.slice(source.startOf(strong), source.startOf(strong) + 2) !== '**')
    return undefined;
  const inner = source.text.slice(source.startOf(strong) + 2, source.endOf(strong) - 2);
  let label = inner.trim();
  let rest = source.endOf(strong);
  if (label.endsWith(':')) {
    label = label.slice(0, -1).trim();
  } else {
    const separator = /^[ \t]*(?::|—|–|-)(?=\s|$)/.exec(source.text.slice(rest, end));
    if (!separator) return undefined;
    rest += separator[0].length;
  }
  if (label === '' || label.includes('\n')) return undefined;
  return { label, rest };
}

/**
 * Reads a list item written `**Label**: value`, `**Label:** value` or `**Label** — value`.
 * `undefined` when the item has another shape (the caller then keeps the list as notes).
 */
export function readLabelledItem(item: ListItem, source: SourceText): LabelledItem | undefined {
  if (item.checked !== null && item.checked !== undefined) return undefined;
  const paragraph = item.children[0];
  if (paragraph?.type !== 'paragraph') return undefined;
  const head = readLeadingLabel(paragraph, source, source.endOf(item));
  if (!head) return undefined;
  const value = source.itemContent(item, head.rest);
  if (value === undefined) return undefined;
  return { label: head.label, value };
}

/** Reads a plain list item (a step, a bullet): its whole content as written. */
export function readPlainItem(item: ListItem, source: SourceText): string | undefined {
  if (item.checked !== null && item.checked !== undefined) return undefined;
  const first = item.children[0];
  if (first?.type !== 'paragraph') return undefined;
  const value = source.itemContent(item, source.startOf(first));
  if (value === undefined || value.trim() === '') return undefined;
  return value;
}

export function isList(node: RootContent | undefined): node is List {
  return node?.type === 'list';
}
