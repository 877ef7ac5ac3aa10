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
