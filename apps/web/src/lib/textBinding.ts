/**
 * The pure half of binding an `<input>`/`<textarea>` to a Y.Text that is not a diff: move a caret
 * through a remote change (so it stays where the person was typing). A local edit goes in
 * through `applyTextDiff` of @syspat/ydoc, the one text diff, given the caret.
 */

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
