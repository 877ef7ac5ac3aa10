import type * as Y from 'yjs';

/**
 * The smallest edit of a Y.Text that turns its content into a new string: syspat's one text
 * diff, used by imports (patchModel) and by the web app's text fields (with the caret, see
 * `unchangedEnds`). Our own code, no diff library: common prefix and suffix first (the whole
 * diff of one typed-in change), then a Myers O(ND) diff of what is left over code points (never
 * splitting a surrogate pair, which Yjs would turn into U+FFFD), then a semantic clean-up that
 * folds an equal run into the edits around it when it is no longer than either of them (so
 * "cat" → "dog" is one replacement, not c/a/t interleaved). Past `MAX_EDIT_DISTANCE` the middle
 * is replaced whole: still correct, and concurrent typing inside it survives, since Yjs deletes
 * only the characters we saw.
 */

export type TextEdit =
  | { readonly kind: 'equal'; readonly text: string }
  | { readonly kind: 'change'; readonly remove: string; readonly insert: string };

const MAX_EDIT_DISTANCE = 1000;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Code units `a` and `b` share at the start, at most `limit`, never half a surrogate pair. */
function commonPrefix(a: string, b: string, limit: number): number {
  let n = 0;
  while (n < limit && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  if (n > 0 && n < a.length && isHighSurrogate(a.charCodeAt(n - 1))) n--;
  return n;
}

/** Code units `a` and `b` share at the end, at most `limit`, never half a surrogate pair. */
function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  while (n < limit && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  if (n > 0 && n < a.length && isLowSurrogate(a.charCodeAt(a.length - n))) n--;
  return n;
}

/**
 * The unchanged start and end of an edit. Without a caret the start is taken as long as it goes.
 * With one (where the caret is in `to` once the edit is made, as an input reports it), the
 * unchanged end stops at the caret, so typing a letter that repeats its neighbour ("aa" → "aaa"
 * with the caret at 2) inserts where the person typed, and their concurrent edits merge there.
 */
function unchangedEnds(from: string, to: string, caret?: number): [number, number] {
  const shorter = Math.min(from.length, to.length);
  if (caret === undefined) {
    const prefix = commonPrefix(from, to, shorter);
    return [prefix, commonSuffix(from, to, shorter - prefix)];
  }
  const afterCaret = to.length - Math.max(0, Math.min(caret, to.length));
  const suffix = commonSuffix(from, to, Math.min(shorter, afterCaret));
  return [commonPrefix(from, to, shorter - suffix), suffix];
}

type Step = 'equal' | 'remove' | 'insert';

/** Myers' diff of two code point arrays, or `null` when they differ in more than `maxD` steps. */
function myers(
  a: readonly string[],
  b: readonly string[],
  maxD: number,
): { step: Step; text: string }[] | null {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[-d-1 .. d+1] as it was before step d.
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= Math.min(max, maxD) && !found; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) return null;

  const steps: { step: Step; text: string }[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const saved = trace[d];
    if (saved === undefined) break;
    const at = (k: number) => saved[k + d + 1] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      steps.push({ step: 'equal', text: a[x - 1] ?? '' });
      x--;
      y--;
    }
    if (d > 0) {
      if (down) steps.push({ step: 'insert', text: b[y - 1] ?? '' });
      else steps.push({ step: 'remove', text: a[x - 1] ?? '' });
    }
    x = prevX;
    y = prevY;
  }
  return steps.reverse();
}

function toEdits(steps: readonly { step: Step; text: string }[]): TextEdit[] {
  const edits: { kind: 'equal' | 'change'; text: string; remove: string; insert: string }[] = [];
  for (const { step, text } of steps) {
    const kind = step === 'equal' ? 'equal' : 'change';
    let last = edits[edits.length - 1];
    if (last?.kind !== kind) {
      last = { kind, text: '', remove: '', insert: '' };
      edits.push(last);
    }
    if (step === 'equal') last.text += text;
    else if (step === 'remove') last.remove += text;
    else last.insert += text;
  }
  return edits.map((e) =>
    e.kind === 'equal'
      ? { kind: 'equal', text: e.text }
      : { kind: 'change', remove: e.remove, insert: e.insert },
  );
}

/** Folds an equal run into its neighbouring changes when it is no longer than either of them. */
function cleanUp(edits: TextEdit[]): TextEdit[] {
  const out = [...edits];
  let i = 1;
  while (i < out.length - 1) {
    const before = out[i - 1];
    const equal = out[i];
    const after = out[i + 1];
    if (before?.kind === 'change' && equal?.kind === 'equal' && after?.kind === 'change') {
      const size = equal.text.length;
      const beforeSize = Math.max(before.remove.length, before.insert.length);
      const afterSize = Math.max(after.remove.length, after.insert.length);
      if (size <= beforeSize && size <= afterSize) {
        out.splice(i - 1, 3, {
          kind: 'change',
          remove: before.remove + equal.text + after.remove,
          insert: before.insert + equal.text + after.insert,
        });
        i = Math.max(1, i - 2);
        continue;
      }
    }
    i++;
  }
  return out;
}

/**
 * The edits that turn `from` into `to`, equal runs included, in order. `caret` is where the
 * caret is in `to` after a person's edit (an input's `selectionEnd`), when there is one.
 */
export function diffText(from: string, to: string, caret?: number): TextEdit[] {
  if (from === to) return from === '' ? [] : [{ kind: 'equal', text: from }];
  const [prefix, suffix] = unchangedEnds(from, to, caret);
  const removed = from.slice(prefix, from.length - suffix);
  const inserted = to.slice(prefix, to.length - suffix);
  const edits: TextEdit[] = [];
  if (prefix > 0) edits.push({ kind: 'equal', text: from.slice(0, prefix) });
  if (removed === '' || inserted === '') {
    edits.push({ kind: 'change', remove: removed, insert: inserted });
  } else {
    const steps = myers(Array.from(removed), Array.from(inserted), MAX_EDIT_DISTANCE);
    if (steps === null) edits.push({ kind: 'change', remove: removed, insert: inserted });
    else edits.push(...cleanUp(toEdits(steps)));
  }
  if (suffix > 0) edits.push({ kind: 'equal', text: from.slice(from.length - suffix) });
  return edits;
}

/**
 * Edits `text` in place into `value`; nothing happens when it already holds `value`. `caret`:
 * see `diffText` (a text field passes its caret; an import passes none).
 */
export function applyTextDiff(text: Y.Text, value: string, caret?: number): void {
  const current = text.toJSON();
  if (current === value) return;
  let position = 0;
  for (const edit of diffText(current, value, caret)) {
    if (edit.kind === 'equal') {
      position += edit.text.length;
      continue;
    }
    if (edit.remove.length > 0) text.delete(position, edit.remove.length);
    if (edit.insert.length > 0) text.insert(position, edit.insert);
    position += edit.insert.length;
  }
}
