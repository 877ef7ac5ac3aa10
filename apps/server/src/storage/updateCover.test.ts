import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { coverContains, coverOf } from './updateCover.ts';

/** Random edits on two peers that sometimes sync; every update each one emitted, kept. */
const histories = fc.array(
  fc.record({
    peer: fc.integer({ min: 0, max: 1 }),
    op: fc.constantFrom('insert', 'insert', 'delete', 'sync'),
    at: fc.nat(),
    text: fc.string({ minLength: 1, maxLength: 4 }),
  }),
  { minLength: 1, maxLength: 30 },
);

interface Step {
  readonly peer: number;
  readonly op: string;
  readonly at: number;
  readonly text: string;
}

function play(steps: readonly Step[]) {
  const peers = [new Y.Doc(), new Y.Doc()] as const;
  const emitted: Uint8Array[][] = [[], []];
  peers.forEach((doc, n) =>
    doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'sync') emitted[n]!.push(u);
    }),
  );
  for (const { peer, op, at, text } of steps) {
    const doc = peers[peer]!;
    const t = doc.getText('t');
    if (op === 'insert') t.insert(at % (t.length + 1), text);
    else if (op === 'delete' && t.length > 0) t.delete(at % t.length, 1);
    else if (op === 'sync') {
      const other = peers[1 - peer]!;
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)), 'sync');
    }
  }
  return { peers, emitted };
}

describe('updateCover', () => {
  it('a snapshot holds every update its document made, and no update it has not seen', () => {
    fc.assert(
      fc.property(histories, (steps) => {
        const { peers, emitted } = play(steps);
        const snapshot = coverOf(Y.encodeStateAsUpdate(peers[0]))!;
        for (const update of emitted[0]!)
          expect(coverContains(snapshot, coverOf(update)!)).toBe(true);
        for (const update of emitted[1]!) {
          // peer 0 holds it exactly when applying it to peer 0 changes nothing
          const probe = new Y.Doc();
          Y.applyUpdate(probe, Y.encodeStateAsUpdate(peers[0]));
          const before = Y.encodeStateAsUpdate(probe);
          Y.applyUpdate(probe, update);
          const unchanged = Buffer.from(Y.encodeStateAsUpdate(probe)).equals(Buffer.from(before));
          expect(coverContains(snapshot, coverOf(update)!)).toBe(unchanged);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('covers nothing for bytes that are not an update', () => {
    expect(coverOf(new Uint8Array([0, 1, 35, 0, 0, 0, 1, 2, 129, 0, 0, 16]))).toBeUndefined();
    expect(coverOf(new Uint8Array([]))).toBeUndefined();
  });
});
