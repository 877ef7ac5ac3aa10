import type { ListItem, Nodes, RootContent } from 'mdast';

/**
 * Whether a lazy continuation line (one at column 0 that belongs to a paragraph) means the
 * same once the printer indents it under a list marker. A run of `=` or `-` cannot underline
 * a paragraph lazily, but indented it does, and the item's paragraph becomes a heading.
 */
export const staysLazyText = (line: string): boolean => !/^(?:=+|-+)[ \t]*$/.test(line);

/** Reads exact source text back out of the markdown a tree was parsed from. */
export class SourceText {
  constructor(readonly text: string) {}

  startOf(node: Nodes): number {
    return node.position?.start.offset ?? 0;
  }

  endOf(node: Nodes): number {
    return node.position?.end.offset ?? 0;
  }

  /**
   * The whole lines that a run of sibling blocks covers, from the start of the first one's
   * line to the end of the last one's line, so indentation and trailing spaces survive.
   */
  blocks(nodes: readonly RootContent[]): string {
    const first = nodes[0];
    const last = nodes[nodes.length - 1];
    if (!first || !last) return '';
    const start = this.text.lastIndexOf('\n', this.startOf(first) - 1) + 1;
    const endOffset = this.endOf(last);
    // Some nodes (a list swallowing a blank line, say) end at the start of the next line.
    const newline =
      this.text[endOffset - 1] === '\n' ? endOffset - 1 : this.text.indexOf('\n', endOffset);
    const end = newline === -1 ? this.text.length : newline;
    return this.text.slice(start, end).replace(/\n+$/, '');
  }

  /** The text of a heading as written (emphasis, code and links included). */
  headingText(node: Extract<Nodes, { type: 'heading' }>): string {
    const first = node.children[0];
    const last = node.children[node.children.length - 1];
    if (!first || !last) return '';
    return this.text.slice(this.startOf(first), this.endOf(last)).trim();
  }

  /** The inline content of a node as written, from its first child to its last (a table cell). */
  inlineContent(node: Extract<Nodes, { children: unknown[] }>): string {
    const first = node.children[0] as Nodes | undefined;
    const last = node.children[node.children.length - 1] as Nodes | undefined;
    if (!first || !last) return '';
    return this.text.slice(this.startOf(first), this.endOf(last));
  }

  /**
   * The content of a list item from `from` to the item's end, with continuation lines
   * un-indented by the item's content column: the value printed back under any marker.
   * `undefined` when a continuation line is indented with tabs or less than the column
   * in a way we could not restore exactly.
   */
  itemContent(item: ListItem, from: number): string | undefined {
    const firstChild = item.children[0];
    if (!firstChild?.position) return undefined;
    const column = firstChild.position.start.column - 1;
    const raw = this.text.slice(from, this.endOf(item));
    const [head = '', ...rest] = raw.split('\n');
    const lines = [head.trimStart()];
    for (const line of rest) {
      const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
      if (indent.includes('\t')) return undefined;
      if (line.trim() === '') {
        lines.push('');
      } else if (indent.length >= column) {
        lines.push(line.slice(column));
      } else if (indent.length === 0 && staysLazyText(line)) {
        // A lazy continuation line: it belongs to the paragraph and may stay unindented.
        lines.push(line);
      } else {
        return undefined;
      }
    }
    return lines.join('\n').replace(/\s+$/, '');
  }
}
