import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toSingleLine, transformPosition } from './textBinding.ts';

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
