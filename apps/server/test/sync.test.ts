import * as awarenessProtocol from 'y-protocols/awareness';
import { CloseCode } from '@syspat/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  RawClient,
  type TestServer,
  connectProvider,
  createDoc,
  frames,
  sleep,
  startServer,
  waitFor,
  carriesUpdate,
} from './support.ts';

describe('websocket sync with the stock y-websocket client', () => {
  let server: TestServer;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await server.close();
  });

  const connect = (docId: string, doc?: Y.Doc) => {
    const client = connectProvider(server.wsUrl, docId, doc);
    cleanups.push(() => client.provider.destroy());
    return client;
  };
  const raw = (docId: string) => {
    const client = RawClient.connect(server.wsUrl, docId);
    cleanups.push(() => client.close());
    return client;
  };

  it('two clients converge, character by character, through the server', async () => {
    const docId = await createDoc(server.app);
    const a = connect(docId);
    const b = connect(docId);
    await Promise.all([a.synced, b.synced]);
    a.doc.getText('notes').insert(0, 'Hello');
    b.doc.getText('notes').insert(0, 'World ');
    await waitFor(
      () =>
        a.doc.getText('notes').toJSON() === b.doc.getText('notes').toJSON() &&
        a.doc.getText('notes').length === 11,
      5000,
      'convergence',
    );
    expect(a.doc.getText('notes').toJSON()).toMatch(/Hello|World/);
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
  });

  it('a late third client gets the full state in its first sync reply', async () => {
    const docId = await createDoc(server.app);
    const a = connect(docId);
    const b = connect(docId);
    await Promise.all([a.synced, b.synced]);
    a.doc.getText('notes').insert(0, 'from a; ');
    b.doc.getArray<number>('list').push([1, 2, 3]);
    await waitFor(() => b.doc.getText('notes').length > 0 && a.doc.getArray('list').length === 3);

    const late = raw(docId);
    const step2 = await late.handshake();
    const docUpdates = late.messages.filter(carriesUpdate);
    expect(docUpdates[0]).toBe(step2); // no doc content before the sync reply
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, step2.payload);
    expect(fresh.getText('notes').toJSON()).toBe('from a; ');
    expect(fresh.getArray('list').toArray()).toEqual([1, 2, 3]);
    expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(a.doc));
  });

  it('a client of a document on disk gets its content in the first sync reply, never an empty doc first', async () => {
    const docId = await createDoc(server.app);
    const writer = connect(docId);
    await writer.synced;
    writer.doc.getText('notes').insert(0, 'persisted');
    await waitFor(() => server.app.collab.stats().connections === 1);
    await sleep(20);
    writer.provider.destroy();
    await waitFor(() => server.app.collab.stats().loadedDocs === 0, 5000, 'the doc to unload');

    const reader = raw(docId);
    const step2 = await reader.handshake();
    expect(reader.messages.filter(carriesUpdate)[0]).toBe(step2);
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, step2.payload);
    expect(fresh.getText('notes').toJSON()).toBe('persisted');
    // the template's content is there too: the doc was created from it
    expect(fresh.share.has('syspat')).toBe(true);
  });

  it('messages sent while the document loads are queued and answered in order', async () => {
    const docId = await createDoc(server.app);
    const source = new Y.Doc();
    source.getText('t').insert(0, 'queued edit');
    const client = raw(docId);
    await client.opened;
    // sent at once, before the server has loaded the doc
    client.send(frames.update(Y.encodeStateAsUpdate(source)));
    client.send(frames.syncStep1(Y.encodeStateVector(new Y.Doc())));
    const step2 = await client.waitForMessage((m) => m.kind === 'syncStep2');
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, step2.payload);
    expect(fresh.getText('t').toJSON()).toBe('queued edit');
  });

  it('echoes each committed update to its sender: the echo is the acknowledgement', async () => {
    const docId = await createDoc(server.app);
    const client = raw(docId);
    await client.handshake();
    const local = new Y.Doc();
    local.getText('t').insert(0, 'ack me');
    const update = Y.encodeStateAsUpdate(local);
    client.send(frames.update(update));
    const echo = await client.waitForMessage((m) => m.kind === 'update');
    const check = new Y.Doc();
    Y.applyUpdate(check, echo.payload);
    expect(check.getText('t').toJSON()).toBe('ack me');
    // acknowledged means stored: a fresh load from storage has it
    const stored = await server.app.storage.loadDoc(docId);
    const reloaded = new Y.Doc();
    if (stored?.snapshot) Y.applyUpdate(reloaded, stored.snapshot);
    for (const u of stored?.updates ?? []) Y.applyUpdate(reloaded, u);
    expect(reloaded.getText('t').toJSON()).toBe('ack me');
  });

  it('merges a burst of updates into one frame per client per commit', async () => {
    const docId = await createDoc(server.app);
    const sender = raw(docId);
    const receiver = raw(docId);
    await Promise.all([sender.handshake(), receiver.handshake()]);
    const local = new Y.Doc();
    const text = local.getText('t');
    const updates: Uint8Array[] = [];
    local.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 50; i++) text.insert(text.length, `${i},`);
    // sent back to back: they arrive in a few reads and are committed in a few flushes
    for (const u of updates) sender.send(frames.update(u));
    await waitFor(() => receiver.toDoc().getText('t').length === text.length, 5000, 'all updates');
    const updateFrames = receiver.messages.filter((m) => m.kind === 'update');
    expect(updateFrames.length).toBeLessThan(50);
    expect(receiver.toDoc().getText('t').toJSON()).toBe(text.toJSON());
  });

  it('awareness reaches the other clients and leaves with its client', async () => {
    const docId = await createDoc(server.app);
    const a = connect(docId);
    const b = connect(docId);
    await Promise.all([a.synced, b.synced]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#ff0000' });
    const aId = a.doc.clientID;
    await waitFor(
      () =>
        (b.provider.awareness.getStates().get(aId) as { user?: { name: string } } | undefined)?.user
          ?.name === 'Ada',
      5000,
      'awareness at b',
    );
    // a late client sees it too, with the first messages
    const c = connect(docId);
    await c.synced;
    await waitFor(() => c.provider.awareness.getStates().has(aId), 5000, 'awareness at c');

    a.provider.destroy();
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 5000, 'awareness removal at b');
    await waitFor(() => !c.provider.awareness.getStates().has(aId), 5000, 'awareness removal at c');
  });

  it('answers an awareness query with every present client', async () => {
    const docId = await createDoc(server.app);
    const a = connect(docId);
    await a.synced;
    a.provider.awareness.setLocalStateField('user', { name: 'Grace' });
    await sleep(50);
    const client = raw(docId);
    await client.handshake();
    client.send(new Uint8Array([3]));
    await waitFor(() =>
      client.messages.some((m) => {
        if (m.kind !== 'awareness') return false;
        const awareness = new awarenessProtocol.Awareness(new Y.Doc());
        awarenessProtocol.applyAwarenessUpdate(awareness, m.payload, null);
        return awareness.getStates().has(a.doc.clientID);
      }),
    );
  });

  it('closes clients of a deleted document with 4404, and they stop reconnecting', async () => {
    const docId = await createDoc(server.app);
    const a = connect(docId);
    await a.synced;
    const closed = new Promise<{ code: number }>((resolve) => a.provider.once('closed', resolve));
    const res = await server.app.inject({ method: 'DELETE', url: `/api/docs/${docId}` });
    expect(res.statusCode).toBe(204);
    expect((await closed).code).toBe(CloseCode.DocumentNotFound);
  });

  it('refuses an unknown document with close code 4404', async () => {
    const client = raw('NoSuchDocument_123');
    expect(await client.closed).toBe(CloseCode.DocumentNotFound);
  });

  it('shows a markdown import to open editors at once (PUT /api/docs/:id/markdown)', async () => {
    const docId = await createDoc(server.app);
    const a = connect(docId);
    await a.synced;
    const before = await server.app.inject({ method: 'GET', url: `/api/docs/${docId}/markdown` });
    const edited = before.body.replace(
      '## System Architecture Overview',
      '## System Architecture Overview\n\nImported note.',
    );
    expect(edited).not.toBe(before.body);
    const changes: number[] = [];
    a.doc.on('update', () => changes.push(Date.now()));
    const res = await server.app.inject({
      method: 'PUT',
      url: `/api/docs/${docId}/markdown`,
      headers: { 'content-type': 'text/markdown' },
      payload: edited,
    });
    expect(res.statusCode).toBe(200);
    await waitFor(() => changes.length > 0, 5000, 'the editor to receive the import');
    const after = await server.app.inject({ method: 'GET', url: `/api/docs/${docId}/markdown` });
    expect(after.body).toContain('Imported note.');
  });
});
