import { decodeClientMessage, encodeUpdate } from '@syspat/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_PENDING_BYTES, applyClientUpdate } from './applyClientUpdate.ts';

const limits = { maxAwarenessBytes: 64 * 1024, maxAwarenessStates: 256 };

describe('applyClientUpdate', () => {
  it('applies a well-formed update', () => {
    const source = new Y.Doc();
    source.getText('t').insert(0, 'hi');
    const target = new Y.Doc();
    expect(applyClientUpdate(target, Y.encodeStateAsUpdate(source), null)).toEqual({ ok: true });
    expect(target.getText('t').toJSON()).toBe('hi');
  });

  it('keeps a few updates with missing dependencies pending until they resolve', () => {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    source.getText('t').insert(0, 'a');
    source.getText('t').insert(1, 'b');
    const target = new Y.Doc();
    expect(applyClientUpdate(target, updates[1]!, null).ok).toBe(true);
    expect(target.store.pendingStructs).not.toBeNull();
    expect(applyClientUpdate(target, updates[0]!, null).ok).toBe(true);
    expect(target.getText('t').toJSON()).toBe('ab');
  });

  it('refuses and drops a pending store that grows past the cap', () => {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    const text = source.getText('t');
    text.insert(0, 'first');
    for (let i = 0; i < 400; i++) text.insert(text.length, 'x'.repeat(1024));
    const target = new Y.Doc();
    let refused: string | undefined;
    for (const update of updates.slice(1)) {
      const result = applyClientUpdate(target, update, null);
      if (!result.ok) {
        refused = result.reason;
        break;
      }
    }
    expect(refused).toBe('too many updates with missing dependencies');
    expect(target.store.pendingStructs).toBeNull();
    expect(updates.slice(1).reduce((n, u) => n + u.length, 0)).toBeGreaterThan(MAX_PENDING_BYTES);
  });

  it('applies or rejects each of 10,000 byte-mutated valid updates within 50 ms each (R4)', () => {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    const text = source.getText('t');
    for (let i = 0; i < 40; i++) text.insert(Math.floor(text.length / 3), `part ${i};`);
    text.delete(3, 20);
    source.getArray('a').push([{ a: 1 }, 'two', 3]);
    source.getMap('m').set('nested', new Y.Map());
    let seed = 1;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const target = new Y.Doc();
    let applied = 0;
    let rejected = 0;
    let worst = 0;
    for (let i = 0; i < 10_000; i++) {
      const mutated = new Uint8Array(updates[i % updates.length]!);
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++)
        mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      // CPU time, not wall time: the budget is about work done, not about a busy machine
      const started = process.cpuUsage();
      const message = decodeClientMessage(encodeUpdate(mutated), limits);
      if (message.kind === 'update') {
        if (applyClientUpdate(target, message.update, null).ok) applied += 1;
        else rejected += 1;
      } else {
        rejected += 1;
      }
      const used = process.cpuUsage(started);
      worst = Math.max(worst, (used.user + used.system) / 1000);
    }
    expect(applied).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
    expect(worst).toBeLessThan(50);
  });
});
