import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_PENDING_BYTES, applyClientUpdate } from './applyClientUpdate.ts';

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
});
