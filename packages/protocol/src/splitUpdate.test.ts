import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { splitUpdate } from './splitUpdate.ts';
import { checkUpdate } from './walkUpdate.ts';

/** mulberry32: a tiny seeded PRNG, so a failing seed replays exactly. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A doc that observes its root types as the concrete Yjs types, so that type-specific
 * integration (Y.Text's formatting cleanup) runs as it would in an editor.
 */
function emptyDoc(gc: boolean): Y.Doc {
  const doc = new Y.Doc({ gc });
  doc.getArray('arr');
  doc.getMap('map');
  doc.getText('text');
  return doc;
}

/** Everything observable about a document: content with formatting, and the state vector. */
function describeDoc(doc: Y.Doc): unknown {
  const value = (v: unknown): unknown => {
    if (v instanceof Y.Text) return { text: v.toDelta() as unknown };
    if (v instanceof Y.Array) return { array: v.toArray().map(value) };
    if (v instanceof Y.Map) {
      const entries = [...v.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      return { map: entries.map(([k, x]) => [k, value(x)]) };
    }
    if (v instanceof Uint8Array) return { bytes: [...v] };
    return v;
  };
  return {
    arr: value(doc.getArray('arr')),
    map: value(doc.getMap('map')),
    text: value(doc.getText('text')),
    stateVector: [...Y.encodeStateVector(doc)],
  };
}

/** Asserts that two docs hold the same structs, deletions and content. */
function expectSameDoc(actual: Y.Doc, expected: Y.Doc, label: string): void {
  expect(actual.store.pendingStructs, `${label}: pending structs`).toBeNull();
  expect(actual.store.pendingDs, `${label}: pending deletes`).toBeNull();
  expect(describeDoc(actual), label).toEqual(describeDoc(expected));
  expect(
    Y.equalDeleteSets(
      Y.createDeleteSetFromStructStore(actual.store),
      Y.createDeleteSetFromStructStore(expected.store),
    ),
    `${label}: delete sets`,
  ).toBe(true);
  expect(Y.equalSnapshots(Y.snapshot(actual), Y.snapshot(expected)), `${label}: snapshots`).toBe(
    true,
  );
  expect(sameBytes(Y.encodeStateAsUpdate(actual), Y.encodeStateAsUpdate(expected)), label).toBe(
    true,
  );
}

/** Byte equality; toEqual walks a megabyte array element by element, which takes seconds. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

function wholeDoc(update: Uint8Array, gc: boolean): Y.Doc {
  const doc = emptyDoc(gc);
  Y.applyUpdate(doc, update);
  return doc;
}

/** Applies the chunks in order; asserts that none of them leaves a struct parked. */
function chunkedDoc(chunks: Uint8Array[], gc: boolean, label: string): Y.Doc {
  const doc = emptyDoc(gc);
  chunks.forEach((chunk, i) => {
    Y.applyUpdate(doc, chunk);
    expect(doc.store.pendingStructs, `${label}: pending after chunk ${i}`).toBeNull();
  });
  return doc;
}

/** Asserts the chunk contract: valid updates, bounded size, delete set only in the last one. */
function expectChunkShape(chunks: Uint8Array[], max: number, label: string): void {
  chunks.forEach((chunk, i) => {
    expect(checkUpdate(chunk), label).toBeUndefined();
    const decoded = Y.decodeUpdate(chunk);
    expect(decoded.structs.length, `${label}: chunk ${i}`).toBeLessThanOrEqual(max);
    expect(decoded.structs.length, `${label}: chunk ${i}`).toBeGreaterThan(0);
    if (i < chunks.length - 1) expect(decoded.ds.clients.size, `${label}: chunk ${i}`).toBe(0);
  });
}

interface History {
  /** Full state of one replica after everyone synced. */
  state: Uint8Array;
  /** Every update any replica emitted, merged in a shuffled order: what the server stores. */
  merged: Uint8Array;
  gc: boolean;
  formatting: boolean;
}

/**
 * A few replicas editing concurrently with partial syncs: arrays of maps with nested texts,
 * nested arrays, map overwrites, deletions, inserts at the same positions, and in some seeds
 * text formatting.
 */
function randomHistory(seed: number): History {
  const random = rng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: T[]): T => items[int(items.length)] as T;
  const gc = random() < 0.6;
  const formatting = random() < 0.2;
  const replicas = Array.from({ length: 1 + int(6) }, () => new Y.Doc({ gc }));
  const emitted: Uint8Array[] = [];
  for (const doc of replicas) doc.on('update', (u: Uint8Array) => emitted.push(u));
  // inserts bunch up at the ends, where concurrent inserts conflict
  const position = (length: number) => pick([0, length, int(length + 1)]);
  const texts = (doc: Y.Doc): Y.Text[] => {
    const found = [doc.getText('text')];
    for (const entry of doc.getArray('arr').toArray()) {
      const text: unknown = entry instanceof Y.Map ? entry.get('t') : undefined;
      if (text instanceof Y.Text) found.push(text);
    }
    const nested: unknown = doc.getMap('map').get('t');
    if (nested instanceof Y.Text) found.push(nested);
    return found;
  };
  const attributes = () =>
    formatting && random() < 0.5
      ? { [pick(['bold', 'italic'])]: random() < 0.7 ? true : null }
      : undefined;
  const editText = (text: Y.Text) => {
    const length = text.length;
    const op = int(4);
    if (op === 0 && length > 0) {
      const at = int(length);
      text.delete(at, 1 + int(Math.min(4, length - at)));
    } else if (op === 1 && formatting && length > 0) {
      const at = int(length);
      text.format(at, 1 + int(length - at), attributes() ?? { bold: true });
    } else {
      text.insert(position(length), pick(['ab', 'é', '🎉x', 'hello ']), attributes());
    }
  };
  const steps = 10 + int(70);
  for (let step = 0; step < steps; step++) {
    const doc = pick(replicas);
    const arr = doc.getArray<unknown>('arr');
    const map = doc.getMap<unknown>('map');
    switch (int(9)) {
      case 0: {
        const entry = new Y.Map<unknown>();
        entry.set('id', `e${step}`);
        entry.set('t', new Y.Text(`entry ${step}`));
        arr.insert(position(arr.length), [entry]);
        break;
      }
      case 1: {
        const values = [step, `s${step}`, { deep: [step, null, true] }, new Uint8Array([step])];
        arr.insert(position(arr.length), values.slice(int(4)));
        break;
      }
      case 2:
        if (arr.length > 0) {
          const at = int(arr.length);
          arr.delete(at, 1 + int(Math.min(3, arr.length - at)));
        }
        break;
      case 3: {
        const key = pick(['a', 'b', 't', 'n']);
        if (key === 't') map.set('t', new Y.Text(`map text ${step}`));
        else if (key === 'n') {
          const inner = new Y.Array<unknown>();
          inner.push([step, new Y.Map()]);
          map.set('n', inner);
        } else map.set(key, random() < 0.5 ? step : { v: step });
        break;
      }
      case 4:
        map.delete(pick(['a', 'b', 't', 'n']));
        break;
      case 5:
      case 6: {
        const text = pick(texts(doc));
        doc.transact(() => editText(text));
        break;
      }
      case 7: {
        const inner: unknown = map.get('n');
        if (inner instanceof Y.Array) inner.insert(position(inner.length), [`n${step}`]);
        break;
      }
      default: {
        // partial sync: one replica learns what another knows
        const from = pick(replicas);
        if (from !== doc) {
          Y.applyUpdate(doc, Y.encodeStateAsUpdate(from, Y.encodeStateVector(doc)));
        }
      }
    }
  }
  for (const a of replicas) {
    for (const b of replicas) {
      if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    }
  }
  const shuffled = [...emitted];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j] as Uint8Array, shuffled[i] as Uint8Array];
  }
  const state = Y.encodeStateAsUpdate(replicas[0] as Y.Doc);
  return { state, merged: Y.mergeUpdates(shuffled), gc, formatting };
}

/** The document bench uses for cold loads: one client, one transaction, 10,000 entries. */
function bigDocUpdate(entries: number): Uint8Array {
  const doc = new Y.Doc();
  const list = doc.getArray<Y.Map<unknown>>('entries');
  doc.transact(() => {
    for (let i = 0; i < entries; i++) {
      const entry = new Y.Map<unknown>();
      entry.set('id', `e${i}`);
      entry.set(
        'text',
        new Y.Text(`Entry ${i}: a component, its responsibility and how it talks to the rest`),
      );
      entry.set('done', i % 2 === 0);
      list.push([entry]);
    }
  });
  return Y.encodeStateAsUpdate(doc);
}

describe('splitUpdate', () => {
  it('returns a small update unchanged', () => {
    const doc = new Y.Doc();
    doc.getText('text').insert(0, 'hello');
    const update = Y.encodeStateAsUpdate(doc);
    const chunks = splitUpdate(update, 1);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBe(update);
  });

  it('rebuilds random concurrent histories exactly, at every chunk size', () => {
    const seeds = Number(process.env.SPLIT_SEEDS ?? 150);
    let split = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const history = randomHistory(seed);
      const updates = { state: history.state, merged: history.merged };
      for (const [kind, update] of Object.entries(updates)) {
        for (const max of [1, 2, 5, 50]) {
          const label = `seed ${seed} (${kind}, max ${max}, gc ${history.gc})`;
          const chunks = splitUpdate(update, max);
          if (history.formatting && chunks.length === 1) {
            expect(chunks[0], label).toBe(update);
            continue;
          }
          expectChunkShape(chunks, max, label);
          if (chunks.length > 1) split++;
          for (const gc of [true, false]) {
            const whole = wholeDoc(update, gc);
            const label2 = `${label}, receiver gc ${gc}`;
            expectSameDoc(chunkedDoc(chunks, gc, label2), whole, label2);
          }
        }
      }
    }
    expect(split).toBeGreaterThan(seeds);
  });

  it('rebuilds the doc even when the chunks arrive in a random order', () => {
    // Not how the server applies them, but it shows that out-of-order arrival (parked
    // structs, parked deletions) still converges and leaves nothing pending.
    for (let seed = 1; seed <= 60; seed++) {
      const history = randomHistory(seed);
      if (history.formatting) continue;
      const chunks = splitUpdate(history.merged, 2);
      const random = rng(seed * 7919);
      const shuffled = [...chunks].sort(() => random() - 0.5);
      const doc = emptyDoc(history.gc);
      for (const chunk of shuffled) Y.applyUpdate(doc, chunk);
      expectSameDoc(doc, wholeDoc(history.merged, history.gc), `seed ${seed}`);
    }
  });

  it('keeps a long chain of small clients in causal order', () => {
    // Each editor inserts right after the previous editor's item, and the clients are ordered
    // so that sorting by size or by id alone would deliver every item before its origin.
    const docs: Y.Doc[] = [];
    const updates: Uint8Array[] = [];
    const first = new Y.Doc();
    first.clientID = 1_000_000;
    first.getArray('arr').insert(0, ['base']);
    updates.push(Y.encodeStateAsUpdate(first));
    let previous = first;
    for (let i = 0; i < 40; i++) {
      const doc = new Y.Doc();
      doc.clientID = 1_000 + i; // later editors have smaller ids
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(previous));
      const arr = doc.getArray('arr');
      const before = Y.encodeStateVector(doc);
      arr.insert(arr.length, [`from ${i}`, i]);
      if (i % 3 === 0) arr.insert(0, [i]); // concurrent-looking inserts at the front
      if (i % 5 === 0) arr.delete(1, 1);
      updates.push(Y.encodeStateAsUpdate(doc, before));
      docs.push(doc);
      previous = doc;
    }
    const merged = Y.mergeUpdates(updates);
    for (const max of [1, 3, 10]) {
      const chunks = splitUpdate(merged, max);
      expectChunkShape(chunks, max, `max ${max}`);
      expectSameDoc(chunkedDoc(chunks, true, `max ${max}`), wholeDoc(merged, true), `max ${max}`);
    }
  });

  it('splits the 10,000-entry bench document into bounded chunks that rebuild it', () => {
    const update = bigDocUpdate(10_000);
    const structs = Y.decodeUpdate(update).structs.length;
    expect(structs).toBeGreaterThan(40_000);
    const max = 4000;
    const chunks = splitUpdate(update, max);
    expect(chunks).toHaveLength(Math.ceil(structs / max));
    expectChunkShape(chunks, max, 'big doc');
    const label = 'big doc';
    const split = chunkedDoc(chunks, true, label);
    const whole = wholeDoc(update, true);
    expect(split.getArray('entries').length).toBe(10_000);
    expect(split.getArray('entries').toJSON()).toEqual(whole.getArray('entries').toJSON());
    expect(sameBytes(Y.encodeStateAsUpdate(split), Y.encodeStateAsUpdate(whole))).toBe(true);
    expect(split.store.pendingDs).toBeNull();
  });

  it('applies a diff update onto the doc it was made against', () => {
    const base = new Y.Doc();
    base.getArray('arr').insert(0, ['a', 'b', 'c']);
    const editor = new Y.Doc();
    Y.applyUpdate(editor, Y.encodeStateAsUpdate(base));
    const vector = Y.encodeStateVector(editor);
    const arr = editor.getArray('arr');
    for (let i = 0; i < 30; i++) arr.insert(i % 4, [i, `x${i}`]);
    arr.delete(0, 5);
    const diff = Y.encodeStateAsUpdate(editor, vector);
    const expected = wholeDoc(Y.encodeStateAsUpdate(base), true);
    Y.applyUpdate(expected, diff);
    const actual = wholeDoc(Y.encodeStateAsUpdate(base), true);
    for (const chunk of splitUpdate(diff, 4)) Y.applyUpdate(actual, chunk);
    expectSameDoc(actual, expected, 'diff');
  });

  it('keeps a gap (Skip struct) pending exactly like the whole update, until it is filled', () => {
    const doc = new Y.Doc();
    const parts: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => parts.push(u));
    const arr = doc.getArray('arr');
    for (let i = 0; i < 12; i++) arr.insert(0, [i]);
    const missing = parts[5] as Uint8Array;
    const withGap = Y.mergeUpdates(parts.filter((p) => p !== missing));
    expect(Y.decodeUpdate(withGap).structs.some((s) => s instanceof Y.Skip)).toBe(true);
    const expected = wholeDoc(withGap, true);
    const actual = emptyDoc(true);
    for (const chunk of splitUpdate(withGap, 2)) Y.applyUpdate(actual, chunk);
    expect(actual.store.pendingStructs?.missing).toEqual(expected.store.pendingStructs?.missing);
    expect(describeDoc(actual)).toEqual(describeDoc(expected));
    Y.applyUpdate(actual, missing);
    Y.applyUpdate(expected, missing);
    expectSameDoc(actual, expected, 'gap filled');
    expect(actual.getArray('arr').length).toBe(12);
  });

  it('keeps only the last section of a client that appears twice, as Yjs does', () => {
    const a = new Y.Doc();
    a.clientID = 7;
    a.getArray('arr').insert(0, ['first', 'second', 'third']);
    const b = new Y.Doc();
    b.clientID = 7;
    b.getArray('other').insert(0, ['x', 'y']);
    // two v1 updates of one struct section each, glued into one update with two sections
    const sectionOf = (u: Uint8Array) => u.subarray(1, u.length - 1); // drop count and empty ds
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 2);
    encoding.writeUint8Array(encoder, sectionOf(Y.encodeStateAsUpdate(a)));
    encoding.writeUint8Array(encoder, sectionOf(Y.encodeStateAsUpdate(b)));
    encoding.writeVarUint(encoder, 0);
    const glued = encoding.toUint8Array(encoder);
    expect(checkUpdate(glued)).toBeUndefined();
    const actual = emptyDoc(true);
    for (const chunk of splitUpdate(glued, 1)) Y.applyUpdate(actual, chunk);
    const expected = wholeDoc(glued, true);
    expect(actual.getArray('other').toJSON()).toEqual(['x', 'y']);
    expectSameDoc(actual, expected, 'duplicate section');
  });

  it('does not split text formatting, whose Yjs cleanup depends on the cut', () => {
    // Three editors concurrently touch the start of "ab": bold "a", insert "Z", insert a bold
    // "Q". Applied whole, the first bold marker survives; with editor 1 and 3 in an earlier
    // update than editor 2, Yjs's formatting cleanup deletes it before "Z" lands behind it.
    const base = new Y.Doc();
    base.clientID = 100;
    base.getText('text').insert(0, 'ab');
    const editor = (id: number) => {
      const doc = new Y.Doc();
      doc.clientID = id;
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
      return doc;
    };
    const [one, two, three] = [editor(1), editor(2), editor(3)];
    one.getText('text').format(0, 1, { bold: true });
    two.getText('text').insert(0, 'Z');
    three.getText('text').insert(0, 'Q', { bold: true });
    const states = [base, one, two, three].map((d) => Y.encodeStateAsUpdate(d));
    const merged = Y.mergeUpdates(states);
    const whole = wholeDoc(merged, true);
    const cut = emptyDoc(true);
    for (const i of [0, 1, 3, 2]) Y.applyUpdate(cut, states[i] as Uint8Array);
    // If a Yjs upgrade makes these equal, formatted updates can be split too.
    expect(describeDoc(cut)).not.toEqual(describeDoc(whole));

    const chunks = splitUpdate(merged, 1);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBe(merged);
  });

  it('refuses malformed updates with the reason', () => {
    const doc = new Y.Doc();
    doc.getArray('arr').insert(0, ['hello', 'world', 1, 2, 3]);
    const update = Y.encodeStateAsUpdate(doc);
    expect(() => splitUpdate(update.subarray(0, update.length - 4), 1)).toThrow(
      checkUpdate(update.subarray(0, update.length - 4)),
    );
    expect(() => splitUpdate(new Uint8Array([1, 200, 200, 200, 1]), 1)).toThrow(/larger than/);
    expect(() => splitUpdate(update, 0)).toThrow(RangeError);

    // a string that is not UTF-8: the walk is shape-only, but Yjs's decoder would throw
    const text = new Y.Doc();
    text.getText('text').insert(0, 'abc');
    text.getText('text').insert(0, 'def');
    const bad = Y.encodeStateAsUpdate(text);
    const at = bad.indexOf(0x64); // the 'd' of "def"
    bad[at] = 0xff;
    expect(checkUpdate(bad)).toBeUndefined();
    expect(() => Y.applyUpdate(new Y.Doc(), bad)).toThrow();
    expect(() => splitUpdate(bad, 1)).toThrow('string is not valid UTF-8');
  });
});
