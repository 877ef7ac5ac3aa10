import type * as Y from 'yjs';

/**
 * The smallest edit of a Y.Text that turns its content into a new string. Our own code, no diff
 * library: common prefix and suffix first (the whole diff of one typed-in change), then a Myers
 * O(ND) diff of what is left over code points (never splitting a surrogate pair, which Yjs would
 * turn into U+FFFD), then a semantic clean-up that folds an equal run into the edits around it
 * when it is no longer than either of them (so "cat" → "dog" is one replacement, not c/a/t
 * interleaved). Past `MAX_EDIT_DISTANCE` the middle is replaced whole: still correct, and
 * concurrent typing inside it survives, since Yjs deletes only the characters we saw.
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

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let n = 0;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  if (n > 0 && n < a.length && isHighSurrogate(a.charCodeAt(n - 1))) n--;
  return n;
}

function commonSuffix(a: string, b: string, prefix: number): number {
  const max = Math.min(a.length, b.length) - prefix;
  let n = 0;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  if (n > 0 && n < a.length && isLowSurrogate(a.charCodeAt(a.length - n))) n--;
  return n;
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

/** The edits that turn `from` into `to`, equal runs included, in order. */
export function diffText(from: string, to: string): TextEdit[] {
  if (from === to) return from === '' ? [] : [{ kind: 'equal', text: from }];
  const prefix = commonPrefix(from, to);
  const suffix = commonSuffix(from, to, prefix);
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

/** Edits `text` in place into `value`; nothing happens when it already holds `value`. */
export function applyTextDiff(text: Y.Text, value: string): void {
  const current = text.toJSON();
  if (current === value) return;
  let position = 0;
  for (const edit of diffText(current, value)) {
    if (edit.kind === 'equal') {
      position += edit.text.length;
      continue;
    }
    if (edit.remove.length > 0) text.delete(position, edit.remove.length);
    if (edit.insert.length > 0) text.insert(position, edit.insert);
    position += edit.insert.length;
  }
}
