import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as api from './index.ts';

describe('@syspat/protocol public API', () => {
  it('exports the wire vocabulary, the codecs, the update walker and the origin tags, and nothing else', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'CloseCode',
        'MessageType',
        'DepSlot',
        'NO_DEP',
        'SyncMessageType',
        'checkUpdate',
        'closeCodeName',
        'closeReason',
        'decodeClientMessage',
        'decodeServerMessage',
        'encodeAwareness',
        'encodeAwarenessEntries',
        'encodeCommitAck',
        'encodeQueryAwareness',
        'encodeSubscribeCommits',
        'encodeSyncStep1',
        'encodeSyncStep2',
        'encodeUpdate',
        'isPermanentCloseCode',
        'shouldRetry',
        'splitAndCount',
        'splitUpdate',
        'walkUpdate',
        'EXTENSION_ORIGIN',
        'LOAD_ORIGIN',
        'REST_ORIGIN',
        'RESTORE_ORIGIN',
        'clientOrigin',
        'instanceOrigin',
        'isStored',
        'originOf',
      ].sort(),
    );
  });

  it('carries an edit from one client to another through encode and decode', () => {
    const limits = { maxAwarenessBytes: 1024, maxAwarenessStates: 8 };
    const author = new Y.Doc();
    author.getText('t').insert(0, 'over the wire');
    const sent = api.decodeClientMessage(api.encodeUpdate(Y.encodeStateAsUpdate(author)), limits);
    if (sent.kind !== 'update') throw new Error(`expected an update, got ${sent.kind}`);
    const received = api.decodeServerMessage(api.encodeUpdate(sent.update));
    if (received.kind !== 'update') throw new Error(`expected an update, got ${received.kind}`);
    const reader = new Y.Doc();
    for (const chunk of api.splitUpdate(received.update, 1)) Y.applyUpdate(reader, chunk);
    expect(reader.getText('t').toJSON()).toBe('over the wire');
    expect(api.decodeClientMessage(api.encodeSubscribeCommits(), limits)).toEqual({
      kind: 'subscribeCommits',
    });
  });
});
