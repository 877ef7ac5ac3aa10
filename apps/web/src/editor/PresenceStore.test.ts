import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { PALETTE } from '../lib/identity.ts';
import { PresenceStore, fieldKey } from './PresenceStore.ts';

function pair() {
  const local = new Awareness(new Y.Doc());
  const remote = new Awareness(new Y.Doc());
  const store = new PresenceStore(local, { name: 'Me', color: '#3e63dd' });
  const sync = () =>
    applyAwarenessUpdate(local, encodeAwarenessUpdate(remote, [remote.clientID]), 'remote');
  return { local, remote, store, sync };
}

describe('PresenceStore', () => {
  it('lists other people with the field each one is in, not oneself', () => {
    const { remote, store, sync } = pair();
    remote.setLocalState({ user: { name: 'Bob', color: '#30a46c' }, field: fieldKey(['title']) });
    sync();
    expect(store.getPeers()).toEqual([
      { clientId: remote.clientID, name: 'Bob', color: '#30a46c', field: 'title' },
    ]);
    expect(store.peersIn('title').map((p) => p.name)).toEqual(['Bob']);
    expect(store.peersIn('intro')).toEqual([]);
  });

  it('keeps hostile names as plain strings and replaces colours that are not #rrggbb (R29)', () => {
    const { remote, store, sync } = pair();
    remote.setLocalState({
      user: { name: '<img src=x onerror=alert(1)>', color: 'red;}</style><script>' },
      field: 42,
    });
    sync();
    const [peer] = store.getPeers();
    expect(peer?.name).toBe('<img src=x onerror=alert(1)>');
    expect(PALETTE).toContain(peer?.color);
    expect(peer?.field).toBeNull();
  });

  it('survives states that are not objects at all', () => {
    const { remote, store, sync } = pair();
    remote.setLocalState({ user: 'nobody', field: { nested: true } });
    sync();
    expect(store.getPeers()[0]).toMatchObject({ name: 'Anonymous', field: null });
  });

  it('keeps the same array for a field whose peers did not change, so fields do not re-render', () => {
    const { remote, store, sync } = pair();
    remote.setLocalState({ user: { name: 'Bob', color: '#30a46c' }, field: 'a' });
    sync();
    const before = store.peersIn('a');
    let notified = 0;
    store.subscribe(() => notified++);
    remote.setLocalStateField('user', { name: 'Bob', color: '#30a46c' });
    sync();
    expect(store.peersIn('a')).toBe(before);
    expect(notified).toBe(0);
  });
});
