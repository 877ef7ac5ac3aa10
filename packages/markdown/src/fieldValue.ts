import type { Nodes, RootContent } from 'mdast';
import { staysLazyText, type SourceText } from './sourceText.ts';

/**
 * Field values built from markdown that was not a field: text that, printed after
 * `- **Label**: ` with its lines indented under the marker, reads back as exactly itself.
 */

/** Lines un-indented by `column`; `undefined` when a line is indented in a way we cannot undo. */
export function dedent(text: string, column: number): string | undefined {
  if (column === 0) return /^[ \t]*\t/m.test(text) ? undefined : text;
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (indent.includes('\t')) return undefined;
    if (line.trim() === '') lines.push('');
    else if (indent.length >= column) lines.push(line.slice(column));
    else if (indent.length === 0 && staysLazyText(line)) lines.push(line);
    else return undefined;
  }
  return lines.join('\n');
}

/** The source lines of sibling nodes at `column`, un-indented. */
export function nodeText(
  nodes: readonly RootContent[],
  source: SourceText,
  column: number,
): string | undefined {
  return dedent(source.blocks(nodes), column);
}

/**
 * Text the way a list item's continuation reads back (see SourceText.itemContent): no
 * trailing white space, blank lines empty, no tab in any indentation. A value that would
 * open with a block (a list, a fence) starts on the line after the label.
 */
export function toFieldValue(parts: readonly string[], opensWithParagraph: boolean) {
  const text = parts
    .join('\n\n')
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : line))
    .join('\n')
    .replace(/\s+$/, '');
  if (/^[ \t]*\t/m.test(text) || text.trim() === '') return undefined;
  return opensWithParagraph ? text.trimStart() : `\n${text.replace(/^\n+/, '')}`;
}

/** Adds more content to a value built by toFieldValue. */
export function appendToValue(value: string, more: string): string {
  return more.startsWith('\n') ? `${value}${more}` : `${value}\n\n${more}`;
}

/** Node kinds that keep their meaning inside a list item, so they may move into a field. */
export function isMovable(node: Nodes): boolean {
  return (
    node.type === 'paragraph' ||
    node.type === 'list' ||
    node.type === 'code' ||
    node.type === 'blockquote'
  );
}
