/**
 * The pure half of binding an `<input>`/`<textarea>` to a Y.Text: turn a local edit into the
 * smallest splice (so two people typing in one field merge character by character), and move a
 * caret through a remote change (so it stays where the person was typing).
 */

export interface Splice {
  /** Where the change starts, in UTF-16 code units of the old text. */
  readonly index: number;
  /** How many code units of the old text are removed. */
  readonly remove: number;
  /** What is inserted at `index`. */
  readonly insert: string;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * The splice that turns `before` into `after`. `cursor` is the caret in `after` once the edit is
 * made: the changed region is taken to end there when that is possible, so typing a letter that
 * repeats its neighbour ("aa" → "aaa" at 2) inserts where the person typed. Never splits a
 * surrogate pair. `null` when nothing changed.
 */
export function spliceOf(
  before: string,
  after: string,
  cursor: number = after.length,
): Splice | null {
  if (before === after) return null;
  const minLength = Math.min(before.length, after.length);
  // unchanged tail: at most what lies after the caret in `after`
  const tailLimit = Math.min(
    minLength,
    Math.max(0, after.length - Math.max(0, Math.min(cursor, after.length))),
  );
  let suffix = 0;
  while (
    suffix < tailLimit &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  let prefix = 0;
  const prefixLimit = minLength - suffix;
  while (prefix < prefixLimit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  // keep surrogate pairs whole
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return {
    index: prefix,
    remove: before.length - suffix - prefix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

/** A Yjs text delta as `Y.YTextEvent.delta` gives it. */
export type TextDelta = readonly {
  readonly insert?: unknown;
  readonly retain?: number;
  readonly delete?: number;
}[];

/**
 * Where `position` (in the text before the change) is after `delta`. Text inserted exactly at
 * the position goes after the caret unless `stickToEnd`, which moves the caret past it.
 */
export function transformPosition(position: number, delta: TextDelta, stickToEnd = false): number {
  let index = 0;
  let result = position;
  for (const op of delta) {
    if (op.retain !== undefined) {
      index += op.retain;
    } else if (op.insert !== undefined) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      if (index < result || (stickToEnd && index === result)) result += length;
      index += length;
    } else if (op.delete !== undefined) {
      if (index < result) result -= Math.min(op.delete, result - index);
    }
    if (index > result && op.retain !== undefined) break;
  }
  return result;
}

/** Replaces line breaks (a pasted paragraph in a one-line field) with single spaces. */
export function toSingleLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ');
}
