import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { applyTextDiff, diffText } from './textDiff.ts';

function textWith(value: string): { doc: Y.Doc; text: Y.Text } {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, value);
  return { doc, text };
}

function deltaOf(text: Y.Text, change: () => void): unknown[] {
  let delta: unknown[] = [];
  const observe = (event: Y.YTextEvent) => {
    delta = event.delta;
  };
  text.observe(observe);
  change();
  text.unobserve(observe);
  return delta;
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('text diff', () => {
  it('turns a typed-in change into one insert at the right place', () => {
    const { text } = textWith('Postgres for invoices');
    const delta = deltaOf(text, () => applyTextDiff(text, 'Postgres 16 for invoices'));
    expect(text.toJSON()).toBe('Postgres 16 for invoices');
    // Either " 16" after "Postgres" or "16 " after "Postgres ": one insert, nothing deleted.
    expect(delta).toHaveLength(2);
    expect(delta[1]).toEqual({ insert: expect.stringMatching(/^( 16|16 )$/) as unknown });
  });

  it('keeps two separate changes in one field as two small edits', () => {
    const { text } = textWith('Redis cache for sessions, TTL one hour, invalidated on logout');
    const delta = deltaOf(text, () =>
      applyTextDiff(text, 'Redis cache for carts, TTL one hour, invalidated on checkout'),
    );
    expect(text.toJSON()).toBe('Redis cache for carts, TTL one hour, invalidated on checkout');
    const deleted = delta.reduce<number>(
      (sum, op) => sum + ((op as { delete?: number }).delete ?? 0),
      0,
    );
    expect(deleted).toBeLessThan(16);
  });

  it('replaces an unrelated word whole instead of interleaving letters', () => {
    expect(diffText('cat', 'dog')).toEqual([{ kind: 'change', remove: 'cat', insert: 'dog' }]);
  });

  it('does nothing when the text already has the value', () => {
    const { doc, text } = textWith('same');
    let updates = 0;
    doc.on('update', () => updates++);
    applyTextDiff(text, 'same');
    expect(updates).toBe(0);
  });

  it('never splits a surrogate pair, which Yjs would turn into U+FFFD', () => {
    const { text } = textWith('a😀b');
    applyTextDiff(text, 'a😁b');
    expect(text.toJSON()).toBe('a😁b');
    const { text: other } = textWith('😀😀x');
    applyTextDiff(other, '😀😃😀y');
    expect(other.toJSON()).toBe('😀😃😀y');
  });

  it('reaches the new value for any pair of strings', () => {
    const next = random(42);
    const alphabet = ['a', 'b', 'c', ' ', '\n', 'é', '😀', '日'];
    const word = () =>
      Array.from(
        { length: Math.floor(next() * 30) },
        () => alphabet[Math.floor(next() * alphabet.length)] ?? '',
      ).join('');
    for (let i = 0; i < 500; i++) {
      const from = word();
      const to = next() < 0.5 ? word() : from.slice(0, 5) + word() + from.slice(10);
      const { text } = textWith(from);
      applyTextDiff(text, to);
      expect(text.toJSON()).toBe(to);
    }
  });

  it('falls back to one replacement when two long texts have nothing in common', () => {
    const from = 'x'.repeat(3000);
    const to = 'y'.repeat(3000);
    const { text } = textWith(from);
    applyTextDiff(text, to);
    expect(text.toJSON()).toBe(to);
  });
});

/** Where `diffText` puts its one change, as (index, removed, inserted); null when none. */
function changeOf(from: string, to: string, caret?: number) {
  const edits = diffText(from, to, caret);
  const changes = edits.filter((e) => e.kind === 'change');
  if (changes.length === 0) return null;
  expect(changes).toHaveLength(1);
  const first = edits[0];
  const index = first?.kind === 'equal' ? first.text.length : 0;
  const change = changes[0]!;
  return { index, remove: change.remove.length, insert: change.insert };
}

describe('text diff of a typed-in change, with the caret', () => {
  it('turns a typed letter into one insert where the caret is', () => {
    expect(changeOf('aa', 'aaa', 2)).toEqual({ index: 1, remove: 0, insert: 'a' });
    expect(changeOf('aa', 'aaa')).toEqual({ index: 2, remove: 0, insert: 'a' });
    expect(changeOf('hello', 'hello!', 6)).toEqual({ index: 5, remove: 0, insert: '!' });
  });

  it('turns a selection replaced by a paste into one delete and one insert', () => {
    expect(changeOf('one two three', 'one 2 three', 5)).toEqual({
      index: 4,
      remove: 3,
      insert: '2',
    });
  });

  it('finds nothing when nothing changed and never splits a surrogate pair', () => {
    expect(changeOf('same', 'same', 2)).toBeNull();
    expect(changeOf('a😀b', 'a😃b', 3)).toEqual({ index: 1, remove: 2, insert: '😃' });
  });

  it('puts a typed run where the caret says, and reaches the new text for any caret', () => {
    const next = random(7);
    const alphabet = ['a', 'b', ' ', '😀'];
    const word = (length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)] ?? '').join('');
    for (let i = 0; i < 500; i++) {
      const before = word(Math.floor(next() * 12));
      // a person typed `typed` at a code point boundary `at`; the caret ends after it
      const points = Array.from(before);
      const cut = Math.floor(next() * (points.length + 1));
      const at = points.slice(0, cut).join('').length;
      const typed = word(1 + Math.floor(next() * 3));
      const after = before.slice(0, at) + typed + before.slice(at);
      const caret = at + typed.length;
      const change = changeOf(before, after, caret);
      expect(change?.remove, `${before} → ${after}`).toBe(0);
      expect((change?.index ?? 0) + (change?.insert.length ?? 0)).toBe(caret);
      const { text } = textWith(before);
      applyTextDiff(text, after, Math.floor(next() * (after.length + 2)) - 1);
      expect(text.toJSON()).toBe(after);
    }
  });
});
