import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type BeforeUnloadPayload, type Extension, Hooks } from './hooks.ts';
import {
  EXTENSION_ORIGIN,
  instanceOrigin,
  LOAD_ORIGIN,
  originOf,
  REST_ORIGIN,
} from '@syspat/protocol';
import { Room } from './Room.ts';

const unloadPayload = (): BeforeUnloadPayload => {
  const room = new Room('doc');
  return { docId: room.id, document: room.doc, room };
};

describe('hooks', () => {
  it('runs a gate in registration order and stops at the first handler that throws', async () => {
    const calls: string[] = [];
    const hooks = new Hooks(pino({ level: 'silent' }));
    const step = (name: string, fail = false): Extension => ({
      name,
      beforeUnload: async () => {
        await Promise.resolve();
        calls.push(name);
        if (fail) throw new Error(`${name} refused`);
      },
    });
    hooks.register(step('first'), step('second', true), step('third'));
    await expect(hooks.gate('beforeUnload', unloadPayload())).rejects.toThrow('second refused');
    expect(calls).toEqual(['first', 'second']);
  });

  it('costs no turn of the event loop when no extension has the gate', () => {
    const hooks = new Hooks(pino({ level: 'silent' }));
    hooks.register({ name: 'other', onDisconnect: () => undefined });
    expect(hooks.gate('beforeUnload', unloadPayload())).toBeUndefined();
  });

  it('calls every notification handler even when one throws or rejects', async () => {
    const reached: string[] = [];
    const hooks = new Hooks(pino({ level: 'silent' }));
    hooks.register(
      {
        name: 'throws',
        onChange: () => {
          throw new Error('boom');
        },
      },
      { name: 'rejects', afterCommit: () => Promise.reject(new Error('later boom')) },
      { name: 'sees', onChange: () => void reached.push('onChange') },
    );
    const room = new Room('doc');
    hooks.notify('onChange', {
      docId: 'doc',
      document: room.doc,
      room,
      update: new Uint8Array([0, 0]),
      origin: REST_ORIGIN,
    });
    hooks.notify('afterCommit', {
      docId: 'doc',
      document: room.doc,
      room,
      updates: [],
      update: new Uint8Array([0, 0]),
      lastSeq: 0,
    });
    await Promise.resolve();
    expect(reached).toEqual(['onChange']);
  });
});

describe('transaction origins', () => {
  it('passes tagged origins through and counts an untagged transaction as an extension write', () => {
    const doc = new Y.Doc();
    const seen: string[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      const tagged = originOf(origin);
      seen.push(tagged.kind === 'server' ? `server/${tagged.via}` : tagged.kind);
    });
    doc.transact(() => doc.getText('t').insert(0, 'a'), instanceOrigin('other'));
    doc.transact(() => doc.getText('t').insert(0, 'b'), LOAD_ORIGIN);
    doc.getText('t').insert(0, 'c');
    doc.transact(() => doc.getText('t').insert(0, 'd'), { kind: 'unknown' });
    expect(seen).toEqual(['instance', 'load', 'server/extension', 'server/extension']);
    expect(originOf(null)).toBe(EXTENSION_ORIGIN);
  });
});
