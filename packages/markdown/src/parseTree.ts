import type { Nodes, Root } from 'mdast';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { headingChunkStarts } from './headingChunks.ts';

/**
 * The parts of GFM that shape blocks: tables, task items and footnote definitions. Autolink
 * literals and strikethrough only change inline text, which we keep as source anyway, and
 * the autolink scanner alone doubled the parse time.
 */
function remarkGfmBlocks(this: Processor) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmTable(), gfmTaskListItem(), gfmFootnote());
  (data.fromMarkdownExtensions ??= []).push(
    gfmTableFromMarkdown(),
    gfmTaskListItemFromMarkdown(),
    gfmFootnoteFromMarkdown(),
  );
}

const processor = unified()
  .use(remarkParse)
  .use(remarkGfmBlocks)
  .use(remarkFrontmatter, ['yaml', 'toml']);

// micromark's front matter construct, when a file opens with `---` that is never closed,
// leaves lists in the rest of the file read as paragraphs (measured: `---\n\n- a` gives a
// paragraph). Such a file has no front matter, so it is parsed without the construct.
const withoutFrontMatter = unified().use(remarkParse).use(remarkGfmBlocks);

function hasUnclosedFrontMatter(text: string): boolean {
  const fence = /^(---|\+\+\+)[ \t]*(?:\n|$)/.exec(text)?.[1];
  if (!fence) return false;
  return !text
    .split('\n')
    .slice(1)
    .some((line) => line.trimEnd() === fence);
}

const parse = (text: string): Root =>
  (hasUnclosedFrontMatter(text) ? withoutFrontMatter : processor).parse(text);

function shiftPositions(node: Nodes, offset: number, lines: number): void {
  const position = node.position;
  if (position) {
    position.start.line += lines;
    position.end.line += lines;
    if (position.start.offset !== undefined) position.start.offset += offset;
    if (position.end.offset !== undefined) position.end.offset += offset;
  }
  if ('children' in node) for (const child of node.children) shiftPositions(child, offset, lines);
}

/**
 * Markdown to mdast (CommonMark + GFM + front matter), with source positions.
 *
 * micromark's cost grows faster than the input on big documents (4x the text took 8x the
 * time), so the text is cut at top-level ATX headings, where no block can continue across
 * the cut, and each piece is parsed on its own; positions are shifted back into the whole.
 */
export function parseTree(text: string): Root {
  const starts = headingChunkStarts(text);
  if (starts.length <= 1) return parse(text);
  const root: Root = {
    type: 'root',
    children: [],
    position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
  };
  let lineOffset = 0;
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    const chunk = text.slice(start, end);
    const tree = processor.parse(chunk);
    for (const child of tree.children) {
      shiftPositions(child, start, lineOffset);
      root.children.push(child);
    }
    lineOffset += chunk.split('\n').length - 1;
  });
  const lastLine = text.split('\n');
  root.position = {
    start: { line: 1, column: 1, offset: 0 },
    end: {
      line: lastLine.length,
      column: (lastLine[lastLine.length - 1]?.length ?? 0) + 1,
      offset: text.length,
    },
  };
  return root;
}

/** The whole text in one parse: the reference the chunked parse must equal. */
export function parseTreeWhole(text: string): Root {
  return parse(text);
}
