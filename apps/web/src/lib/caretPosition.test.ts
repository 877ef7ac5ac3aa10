import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  MAX_CARET_JSON,
  encodeCaret,
  parseCaret,
  resolveCaret,
  type CaretJSON,
} from './caretPosition.ts';

/** Two docs with one field text each, kept in sync by hand. */
function pair(initial: string) {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const textOf = (doc: Y.Doc) => doc.getMap('root').get('field') as Y.Text;
  a.transact(() => a.getMap('root').set('field', new Y.Text(initial)));
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  };
  sync();
  return { a, b, textA: textOf(a), textB: textOf(b), sync };
}

/** What another client receives: awareness states travel as JSON. */
const overTheWire = (caret: CaretJSON): unknown => JSON.parse(JSON.stringify(caret));

describe('encodeCaret / resolveCaret', () => {
  it('resolves on the other side at the same character', () => {
    const { a, b, textA, textB } = pair('hello world');
    void a;
    const caret = parseCaret(overTheWire(encodeCaret('f', textA, 5, 5)));
    expect(caret).not.toBeNull();
    expect(resolveCaret(b, textB, caret as CaretJSON)).toEqual({ anchor: 5, head: 5 });
  });

  it('follows its character when text is inserted or deleted before it, not after it', () => {
    const { a, b, textA, textB, sync } = pair('hello world');
    const caret = parseCaret(overTheWire(encodeCaret('f', textA, 6, 11))) as CaretJSON;
    textB.insert(0, '>> ');
    sync();
    expect(resolveCaret(b, textB, caret)).toEqual({ anchor: 9, head: 14 });
    expect(resolveCaret(a, textA, caret)).toEqual({ anchor: 9, head: 14 });
    textB.delete(0, 5); // ">> he"
    textB.insert(textB.length, '!');
    sync();
    expect(textB.toJSON()).toBe('llo world!');
    expect(resolveCaret(b, textB, caret)).toEqual({ anchor: 4, head: 9 });
  });

  it('keeps text typed exactly at the caret after it, as the caret owner sees it', () => {
    const { b, textA, textB, sync } = pair('ab');
    const caret = encodeCaret('f', textA, 1, 1);
    textB.insert(1, 'XY');
    sync();
    expect(resolveCaret(b, textB, caret)).toEqual({ anchor: 1, head: 1 });
  });

  it('handles the start, the end and an empty text', () => {
    const { b, textA, textB, sync } = pair('');
    const start = encodeCaret('f', textA, 0, 0);
    expect(resolveCaret(b, textB, start)).toEqual({ anchor: 0, head: 0 });
    textA.insert(0, 'abc');
    sync();
    const end = encodeCaret('f', textA, 3, 99);
    expect(resolveCaret(b, textB, end)).toEqual({ anchor: 3, head: 3 });
    expect(resolveCaret(b, textB, start)).toEqual({ anchor: 0, head: 0 });
  });

  it('is null for a caret in another text or on characters not received yet', () => {
    const { a, b, textA, textB } = pair('shared');
    const other = new Y.Text('other');
    a.getMap('root').set('other', other);
    // `other` has not reached b: its characters are unknown there
    expect(resolveCaret(b, textB, encodeCaret('f', other, 2, 2))).toBeNull();
    // in a, the caret is in `other`, not in the field's text
    expect(resolveCaret(a, textA, encodeCaret('f', other, 2, 2))).toBeNull();
  });

  it('never throws on positions that point nowhere', () => {
    const { b, textB } = pair('abc');
    const nowhere: CaretJSON = {
      field: 'f',
      anchor: { item: { client: 1, clock: 1e9 } },
      head: { type: { client: 2, clock: 0 }, assoc: -1 },
    };
    expect(resolveCaret(b, textB, nowhere)).toBeNull();
  });
});

describe('parseCaret (untrusted awareness input)', () => {
  const valid = {
    field: 'sections/architecture/blocks/style/fields/pattern',
    anchor: { item: { client: 12, clock: 3 }, assoc: -1 },
    head: { type: { client: 12, clock: 0 }, assoc: 0 },
  };

  it('accepts a caret and returns a copy holding only known keys', () => {
    const parsed = parseCaret({ ...valid, extra: 'ignored' });
    expect(parsed).toEqual(valid);
    expect(parsed).not.toBe(valid);
  });

  it('rejects wrong shapes and types', () => {
    const bad: unknown[] = [
      null,
      undefined,
      42,
      'caret',
      [valid],
      { ...valid, field: 7 },
      { ...valid, field: '' },
      { ...valid, anchor: null },
      { ...valid, anchor: {} },
      { ...valid, anchor: { item: { client: -1, clock: 0 } } },
      { ...valid, anchor: { item: { client: 1.5, clock: 0 } } },
      { ...valid, anchor: { item: { client: '1', clock: 0 } } },
      { ...valid, anchor: { item: { client: 2 ** 60, clock: 0 } } },
      { ...valid, anchor: { item: [1, 2] } },
      { ...valid, anchor: { item: { client: 1, clock: 0 }, assoc: 5 } },
      { ...valid, anchor: { item: { client: 1, clock: 0 }, assoc: '0' } },
      // a root type name would make Yjs create that root type on resolve
      { ...valid, head: { tname: 'root', assoc: 0 } },
      { ...valid, head: new (class Position {})() },
    ];
    for (const raw of bad) expect(parseCaret(raw), JSON.stringify(raw) ?? String(raw)).toBeNull();
  });

  it('rejects over-long fields and carets', () => {
    expect(parseCaret({ ...valid, field: 'x'.repeat(401) })).toBeNull();
    expect(parseCaret({ ...valid, padding: 'x'.repeat(MAX_CARET_JSON) })).toBeNull();
  });

  it('rejects what is not JSON and never throws', () => {
    const cyclic: Record<string, unknown> = { ...valid };
    cyclic.self = cyclic;
    const hostile = Object.defineProperty({ ...valid }, 'field', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(parseCaret(cyclic)).toBeNull();
    expect(parseCaret({ ...valid, big: 10n })).toBeNull();
    expect(() => parseCaret(hostile)).not.toThrow();
    expect(parseCaret(hostile)).toBeNull();
  });
});
