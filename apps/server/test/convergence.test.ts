import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  RawClient,
  type TestServer,
  buildTestEnv,
  connectProvider,
  createDoc,
  frames,
  startServer,
  waitFor,
} from './support.ts';

type Client = ReturnType<typeof connectProvider>;

/** Reads the stored document straight from storage. */
async function stored(server: TestServer, docId: string): Promise<Y.Doc> {
  const s = await server.app.storage.loadDoc(docId);
  const doc = new Y.Doc();
  for (const u of [s!.snapshot!, ...s!.updates]) Y.applyUpdate(doc, u);
  return doc;
}

describe('convergence across disconnects and restarts', () => {
  const cleanups: (() => void)[] = [];
  let server: TestServer | undefined;
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await server?.close();
    server = undefined;
  });
  const connect = (docId: string): Client => {
    const client = connectProvider(server!.wsUrl, docId);
    cleanups.push(() => client.provider.destroy());
    return client;
  };

  it('answers a SyncStep1 at any time, so a periodic resync heals a lost message (R40)', async () => {
    server = await startServer();
    const docId = await createDoc(server.app);
    const writer = connect(docId);
    await writer.synced;
    const client = RawClient.connect(server.wsUrl, docId);
    await client.handshake();
    // the client "missed" this update (we simply do not look at the broadcast)
    writer.doc.getText('t').insert(0, 'missed');
    await waitFor(() => client.messages.some((m) => m.kind === 'update'));
    const replies = () => client.messages.filter((m) => m.kind === 'syncStep2');
    client.send(frames.syncStep1(Y.encodeStateVector(new Y.Doc())));
    await waitFor(() => replies().length === 2, 5000, 'the resync reply');
    const healed = new Y.Doc();
    Y.applyUpdate(healed, replies()[1]!.payload);
    expect(healed.getText('t').toJSON()).toBe('missed');
    client.close();
  });

  it('merges edits made offline while the server restarted (R39)', async () => {
    const env = buildTestEnv();
    server = await startServer(env);
    const port = String(server.port);
    const docId = await createDoc(server.app);
    const a = connect(docId);
    const b = connect(docId);
    await Promise.all([a.synced, b.synced]);
    a.doc.getText('t').insert(0, 'online;');
    await waitFor(() => b.doc.getText('t').toJSON() === 'online;');

    await server.close();
    server = undefined;
    await waitFor(() => !a.provider.wsconnected && !b.provider.wsconnected, 5000, 'both to notice');
    for (let i = 0; i < 50; i++) a.doc.getText('t').insert(a.doc.getText('t').length, `a${i};`);
    for (let i = 0; i < 50; i++) b.doc.getText('t').insert(0, `b${i};`);

    server = await startServer({ ...env, PORT: port });
    await waitFor(
      () =>
        a.doc.getText('t').toJSON() === b.doc.getText('t').toJSON() &&
        a.doc.getText('t').toJSON().includes('b49;'),
      15_000,
      'convergence after the restart',
    );
    const text = a.doc.getText('t').toJSON();
    for (let i = 0; i < 50; i++) {
      expect(text).toContain(`a${i};`);
      expect(text).toContain(`b${i};`);
    }
    await waitFor(() => server!.app.collab.stats().connections === 2);
    await server.app.collab.flushNow();
    expect((await stored(server, docId)).getText('t').toJSON()).toBe(text);
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
  });

  it.each([1, 2, 3])(
    'converges with random edits, disconnects and server restarts, seed %i (R49)',
    async (seed) => {
      let state = seed;
      const random = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      const env = buildTestEnv({ UNLOAD_DELAY_MS: '0' });
      server = await startServer(env);
      const port = String(server.port);
      const docId = await createDoc(server.app);
      const clients = Array.from({ length: 5 }, () => connect(docId));
      await Promise.all(clients.map((c) => c.synced));

      for (let step = 0; step < 300; step++) {
        const client = clients[Math.floor(random() * clients.length)]!;
        const roll = random();
        const text = client.doc.getText('t');
        if (roll < 0.6) {
          text.insert(Math.floor(random() * (text.length + 1)), `${step},`);
        } else if (roll < 0.75 && text.length > 0) {
          const at = Math.floor(random() * text.length);
          text.delete(at, Math.min(3, text.length - at));
        } else if (roll < 0.85) {
          client.doc.getArray('list').insert(0, [step]);
        } else if (roll < 0.95) {
          if (client.provider.wsconnected || client.provider.wsconnecting)
            client.provider.disconnect();
          else client.provider.connect();
        } else if (roll < 0.97 && server !== undefined) {
          await server.close(); // graceful restart: clients see 1012 and reconnect
          server = await startServer({ ...env, PORT: port });
        }
        if (step % 20 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      for (const c of clients) if (!c.provider.shouldConnect) c.provider.connect();
      const same = () => {
        const first = Y.encodeStateVector(clients[0]!.doc);
        return clients.every(
          (c) =>
            c.provider.synced && Buffer.from(Y.encodeStateVector(c.doc)).equals(Buffer.from(first)),
        );
      };
      await waitFor(same, 20_000, 'every client to converge');
      const text = clients[0]!.doc.getText('t').toJSON();
      for (const c of clients) {
        expect(c.doc.getText('t').toJSON()).toBe(text);
        expect(c.doc.getArray('list').toJSON()).toEqual(clients[0]!.doc.getArray('list').toJSON());
      }
      await server.app.collab.flushNow();
      const fromDisk = await stored(server, docId);
      expect(fromDisk.getText('t').toJSON()).toBe(text);
      expect(Y.encodeStateVector(fromDisk)).toEqual(Y.encodeStateVector(clients[0]!.doc));
    },
    60_000,
  );
});
