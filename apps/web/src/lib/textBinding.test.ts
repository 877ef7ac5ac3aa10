import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { spliceOf, toSingleLine, transformPosition } from './textBinding.ts';

function apply(before: string, after: string, cursor?: number): string {
  const splice = spliceOf(before, after, cursor);
  if (splice === null) return before;
  return before.slice(0, splice.index) + splice.insert + before.slice(splice.index + splice.remove);
}

describe('spliceOf', () => {
  it('turns a typed letter into one insert where the caret is', () => {
    expect(spliceOf('aa', 'aaa', 2)).toEqual({ index: 1, remove: 0, insert: 'a' });
    expect(spliceOf('hello', 'hello!', 6)).toEqual({ index: 5, remove: 0, insert: '!' });
  });

  it('turns a selection replaced by a paste into one delete and one insert', () => {
    expect(spliceOf('one two three', 'one 2 three', 5)).toEqual({
      index: 4,
      remove: 3,
      insert: '2',
    });
  });

  it('returns null when nothing changed and never splits a surrogate pair', () => {
    expect(spliceOf('same', 'same')).toBeNull();
    const splice = spliceOf('a😀b', 'a😃b', 3);
    expect(splice).toEqual({ index: 1, remove: 2, insert: '😃' });
  });

  it('reproduces the new text for any edit', () => {
    const cases: [string, string, number][] = [
      ['', 'abc', 3],
      ['abc', '', 0],
      ['abcabc', 'abc', 3],
      ['abcabc', 'abc', 0],
      ['xyz', 'xYz', 2],
      ['aaaa', 'aa', 1],
    ];
    for (const [before, after, cursor] of cases) expect(apply(before, after, cursor)).toBe(after);
  });
});

describe('transformPosition', () => {
  it('moves a caret through remote inserts and deletes before it and not after it', () => {
    const text = new Y.Doc().getText('t');
    text.insert(0, 'hello world');
    let delta: Parameters<typeof transformPosition>[1] = [];
    text.observe((event) => (delta = event.delta));
    text.insert(0, '>> ');
    expect(transformPosition(6, delta)).toBe(9);
    text.delete(0, 3);
    expect(transformPosition(9, delta)).toBe(6);
    text.insert(11, '!');
    expect(transformPosition(5, delta)).toBe(5);
    text.delete(2, 6);
    expect(transformPosition(5, delta)).toBe(2);
  });

  it('keeps the caret before text inserted exactly at it unless told to stick to the end', () => {
    expect(transformPosition(3, [{ retain: 3 }, { insert: 'xy' }])).toBe(3);
    expect(transformPosition(3, [{ retain: 3 }, { insert: 'xy' }], true)).toBe(5);
  });
});

describe('toSingleLine', () => {
  it('joins pasted lines with one space', () => {
    expect(toSingleLine('a\n  b\r\nc')).toBe('a b c');
  });
});
