import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeCaret } from '../lib/caretPosition.ts';
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

  it('publishes the caret with its field in one update and drops it on leaving the field', () => {
    const local = new Awareness(new Y.Doc());
    const ydoc = new Y.Doc();
    const text = ydoc.getMap('root').set('t', new Y.Text('hello'));
    const store = new PresenceStore(local, { name: 'Me', color: '#3e63dd' });
    let updates = 0;
    local.on('update', () => updates++);
    const caret = encodeCaret('title', text, 1, 3);
    store.setCaret(caret);
    expect(updates).toBe(1);
    expect(local.getLocalState()).toMatchObject({ field: 'title', caret });
    store.setCaret(encodeCaret('title', text, 1, 3));
    expect(updates).toBe(1);
    store.setField(null);
    expect(local.getLocalState()).toMatchObject({ field: null, caret: null });
  });

  it("lists other people's carets per field, validated", () => {
    const { remote, store, sync } = pair();
    const text = new Y.Doc().getMap('root').set('t', new Y.Text('hello'));
    const caret = encodeCaret('title', text, 2, 2);
    remote.setLocalState({ user: { name: 'Bob', color: '#30a46c' }, field: 'title', caret });
    sync();
    expect(store.caretsIn('title')).toEqual([
      { clientId: remote.clientID, name: 'Bob', color: '#30a46c', caret },
    ]);
    expect(store.caretsIn('intro')).toEqual([]);
  });

  it('ignores a caret that is malformed or for another field, but keeps the person', () => {
    const { remote, store, sync } = pair();
    const text = new Y.Doc().getMap('root').set('t', new Y.Text('hello'));
    for (const caret of [
      encodeCaret('intro', text, 1, 1),
      { field: 'title', anchor: { tname: 'x' }, head: 'nope' },
      'x'.repeat(5000),
    ]) {
      remote.setLocalState({ user: { name: 'Bob', color: '#30a46c' }, field: 'title', caret });
      sync();
      expect(store.caretsIn('title')).toEqual([]);
      expect(store.caretsIn('intro')).toEqual([]);
      expect(store.peersIn('title').map((p) => p.name)).toEqual(['Bob']);
    }
  });

  it('a moving caret changes only the carets of its field, not its peers list', () => {
    const { remote, store, sync } = pair();
    const text = new Y.Doc().getMap('root').set('t', new Y.Text('hello'));
    const user = { name: 'Bob', color: '#30a46c' };
    remote.setLocalState({ user, field: 'title', caret: encodeCaret('title', text, 1, 1) });
    sync();
    const peers = store.peersIn('title');
    const carets = store.caretsIn('title');
    remote.setLocalState({ user, field: 'title', caret: encodeCaret('title', text, 1, 1) });
    sync();
    expect(store.caretsIn('title')).toBe(carets);
    remote.setLocalState({ user, field: 'title', caret: encodeCaret('title', text, 4, 4) });
    sync();
    expect(store.peersIn('title')).toBe(peers);
    expect(store.caretsIn('title')).not.toBe(carets);
  });
});
