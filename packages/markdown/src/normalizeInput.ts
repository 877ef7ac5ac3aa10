import type { Code, Root } from 'mdast';
import { parseTree } from './parseTree.ts';

/** Line endings become LF and a byte-order mark is dropped; nothing else changes. */
export function normalizeLineEndings(input: string): string {
  return input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * The fenced code block at the margin that ends the document, if any. One inside a list item
 * or a quote is closed by the next line at the margin, whatever is printed after it, so it is
 * left as written: closing it would add a fence line to a field that moves elsewhere.
 */
function findLastCode(tree: Root): Code | undefined {
  const last = tree.children[tree.children.length - 1];
  return last?.type === 'code' ? last : undefined;
}

/**
 * A code fence left open at the end of a file swallows everything printed after it, and once
 * sections are put in template order that would be other sections. So the fence is closed
 * (every byte inside it kept) and the text parsed again.
 */
export function closeOpenFence(text: string, tree: Root): { text: string; tree: Root } {
  const code = findLastCode(tree);
  const start = code?.position?.start.offset;
  const end = code?.position?.end.offset;
  if (start === undefined || end === undefined) return { text, tree };
  const fence = /^(`{3,}|~{3,})/.exec(text.slice(start))?.[1];
  if (!fence) return { text, tree };
  const lines = text.slice(start, end).split('\n');
  const lastLine = (lines[lines.length - 1] ?? '').trim();
  const closes =
    lines.length > 1 &&
    lastLine.length >= fence.length &&
    [...lastLine].every((c) => c === fence[0]);
  if (closes) return { text, tree };
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const prefix = text.slice(lineStart, start).replace(/[^>\s]/g, ' ');
  const closed = `${text.endsWith('\n') ? text : `${text}\n`}${prefix}${fence}\n`;
  return { text: closed, tree: parseTree(closed) };
}
