import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { splitUpdate } from './splitUpdate.ts';
import { checkUpdate, walkUpdate } from './walkUpdate.ts';

/** One edit by one of three replicas, or a partial sync between two of them. */
type Edit =
  | { kind: 'insert'; doc: number; at: number; text: string }
  | { kind: 'delete'; doc: number; at: number; n: number }
  | { kind: 'push'; doc: number; value: fc.JsonValue }
  | { kind: 'set'; doc: number; key: string; value: fc.JsonValue }
  | { kind: 'sync'; from: number; to: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    doc: fc.nat(2),
    at: fc.nat(),
    text: fc.string({ unit: 'grapheme', maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), doc: fc.nat(2), at: fc.nat(), n: fc.nat(5) }),
  fc.record({
    kind: fc.constant('push' as const),
    doc: fc.nat(2),
    value: fc.jsonValue({ maxDepth: 3 }),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    doc: fc.nat(2),
    key: fc.constantFrom('a', 'b', 'c'),
    value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant('text' as const)),
  }),
  fc.record({ kind: fc.constant('sync' as const), from: fc.nat(2), to: fc.nat(2) }),
);

/** Every update the replicas emitted, merged: what a server stores and loads. */
function mergedHistory(edits: Edit[], gc: boolean): Uint8Array {
  const docs = [0, 1, 2].map(() => new Y.Doc({ gc }));
  const emitted: Uint8Array[] = [];
  for (const doc of docs) doc.on('update', (u: Uint8Array) => emitted.push(u));
  for (const edit of edits) {
    if (edit.kind === 'sync') {
      const [from, to] = [docs[edit.from]!, docs[edit.to]!];
      if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
      continue;
    }
    const doc = docs[edit.doc]!;
    const text = doc.getText('t');
    if (edit.kind === 'insert') text.insert(edit.at % (text.length + 1), edit.text);
    else if (edit.kind === 'delete' && text.length > 0) {
      const at = edit.at % text.length;
      text.delete(at, Math.min(edit.n, text.length - at));
    } else if (edit.kind === 'push') doc.getArray('a').push([edit.value]);
    else if (edit.kind === 'set')
      doc.getMap('m').set(edit.key, edit.value === 'text' ? new Y.Text('nested') : edit.value);
  }
  return Y.mergeUpdates(emitted);
}

const historyArb = fc.record({
  edits: fc.array(editArb, { maxLength: 40 }),
  gc: fc.boolean(),
  max: fc.integer({ min: 1, max: 8 }),
});

describe('the update walker, on generated histories (fast-check)', () => {
  it('reports the structs Yjs decodes, and the split it drives rebuilds the same document', () => {
    fc.assert(
      fc.property(historyArb, ({ edits, gc, max }) => {
        const update = mergedHistory(edits, gc);
        const walked: [number, number, number][] = [];
        let client = -1;
        const problem = walkUpdate(update, {
          section: (id) => (client = id),
          struct: (_start, _info, clock, length) => walked.push([client, clock, length]),
        });
        expect(problem).toBeUndefined();
        const structs = Y.decodeUpdate(update).structs;
        expect(walked).toEqual(structs.map((s) => [s.id.client, s.id.clock, s.length]));

        const whole = new Y.Doc({ gc });
        Y.applyUpdate(whole, update);
        const split = new Y.Doc({ gc });
        for (const chunk of splitUpdate(update, max)) Y.applyUpdate(split, chunk);
        expect(split.store.pendingStructs).toBeNull();
        expect(Y.encodeStateAsUpdate(split)).toEqual(Y.encodeStateAsUpdate(whole));
      }),
      { numRuns: 150 },
    );
  });

  it('refuses every strict prefix of a sound update', () => {
    fc.assert(
      fc.property(historyArb, fc.nat(), ({ edits, gc }, cut) => {
        const update = mergedHistory(edits, gc);
        expect(checkUpdate(update.subarray(0, cut % update.length))).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it('lets through only updates whose declared counts fit in their bytes', () => {
    // What the guard is for: Yjs allocates from declared counts, so anything accepted must not
    // make Yjs build more structs than the update has bytes, however it was mangled.
    fc.assert(
      fc.property(
        historyArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.uint8Array({ maxLength: 64 }),
        ({ edits, gc }, flips, noise) => {
          const mutated = new Uint8Array(mergedHistory(edits, gc));
          for (const [at, byte] of flips) mutated[at % mutated.length] = byte;
          for (const bytes of [mutated, noise]) {
            if (checkUpdate(bytes) !== undefined) continue;
            let structs: number | undefined;
            try {
              structs = Y.decodeUpdate(bytes).structs.length;
            } catch {
              structs = undefined; // Yjs refuses it too (e.g. a string that is not UTF-8)
            }
            if (structs !== undefined) expect(structs).toBeLessThanOrEqual(bytes.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
