import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

/**
 * Guards in front of the markdown codec (reliability.md R13). The parser recurses once per level
 * of blockquote or list nesting, so a 10,000-deep bomb overflows the stack (and takes minutes
 * getting there); the depth is counted here first, cheaply and without recursion, per line.
 * Bodies that are not UTF-8 are refused instead of silently becoming U+FFFD.
 */

/** Blockquote and list nesting allowed in an import (reliability.md (c)). */
export const MAX_MARKDOWN_NESTING = 100;

/** Columns of indentation counted as one level of list nesting. */
const INDENT_PER_LEVEL = 2;

export const markdownTooDeep = (depth: number, line: number) =>
  new AppError(
    'markdown_too_deep',
    422,
    `The markdown nests blockquotes or lists at least ${depth} levels deep (line ${line}); ` +
      `the limit is ${MAX_MARKDOWN_NESTING} levels.`,
  );

export const invalidUtf8 = () =>
  new AppError(
    'invalid_utf8',
    400,
    'The request body is not valid UTF-8; send markdown encoded as UTF-8.',
  );

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * The container depth a line opens: each `>` and each list marker (`-`, `*`, `+`, `1.`, `1)`
 * followed by a space, a tab or the line end) in the line's leading container prefix counts one,
 * and, once the line has a container marker, every two columns of indentation before it count
 * one too (nested lists written by indentation; a tab counts four columns). An over-estimate,
 * never an under-estimate.
 */
function lineDepth(text: string, start: number, end: number): number {
  let depth = 0;
  let indent = 0;
  let markers = 0;
  // the one space that ends a marker (`> `, `- `) is part of it, not indentation
  let separator = false;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      if (!separator) indent += c === 32 ? 1 : 4;
      separator = false;
      i += 1;
    } else if (c === 62 /* > */) {
      markers += 1;
      separator = true;
      i += 1;
    } else {
      let j = i;
      if (c === 45 || c === 42 || c === 43) j = i + 1;
      else if (isDigit(c)) {
        while (j < end && j - i < 9 && isDigit(text.charCodeAt(j))) j += 1;
        const d = text.charCodeAt(j);
        j = d === 46 || d === 41 ? j + 1 : i;
      }
      const after = text.charCodeAt(j);
      if (j === i || !(j === end || after === 32 || after === 9)) break;
      markers += 1;
      separator = true;
      i = j;
    }
  }
  if (markers > 0) depth = markers + Math.floor(indent / INDENT_PER_LEVEL);
  return depth;
}

/** Throws `markdownTooDeep` when any line nests deeper than `MAX_MARKDOWN_NESTING`. */
export function checkMarkdownNesting(markdown: string, max = MAX_MARKDOWN_NESTING): void {
  let line = 1;
  let start = 0;
  while (start <= markdown.length) {
    let end = markdown.indexOf('\n', start);
    if (end < 0) end = markdown.length;
    const depth = lineDepth(markdown, start, end);
    if (depth > max) throw markdownTooDeep(depth, line);
    start = end + 1;
    line += 1;
  }
}

/**
 * Replaces the app's text parser for the routes of `app` (an encapsulated plugin) with one that
 * refuses bodies that are not valid UTF-8. Fastify's `bodyLimit` still applies while reading:
 * an oversized body is refused with 413 from its `content-length`, or as soon as the streamed
 * bytes pass the limit, never buffered whole.
 */
export function installStrictMarkdownParser(app: FastifyInstance): void {
  const types = ['text/markdown', 'text/plain'];
  app.removeContentTypeParser(types);
  app.addContentTypeParser(types, { parseAs: 'buffer' }, (_request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(invalidUtf8(), undefined);
      return;
    }
    done(null, bytes.toString('utf8'));
  });
}
