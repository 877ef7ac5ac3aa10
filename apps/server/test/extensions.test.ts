import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  type AfterCommitPayload,
  CloseCode,
  ConnectionRejected,
  type Extension,
  instanceOrigin,
} from '../src/index.ts';
import {
  RawClient,
  type TestServer,
  appendText,
  connectProvider,
  createDoc,
  frames,
  sleep,
  startServer,
  waitFor,
} from './support.ts';

/**
 * The sync core's hooks are its extension points: each extension here is added through
 * `buildApp({ extensions })` only, without touching any part of the core.
 */

/** A pub/sub channel between server instances in one process (Redis stands here in production). */
class MemoryBus {
  private readonly subscribers = new Map<string, Set<(from: string, update: Uint8Array) => void>>();

  subscribe(docId: string, listener: (from: string, update: Uint8Array) => void): () => void {
    let set = this.subscribers.get(docId);
    if (set === undefined) this.subscribers.set(docId, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  publish(docId: string, from: string, update: Uint8Array): void {
    for (const listener of this.subscribers.get(docId) ?? []) listener(from, update);
  }
}

/** Fan-out to other instances: publishes what this instance committed, applies what others did. */
function buildFanOut(instanceId: string, bus: MemoryBus): Extension {
  const unsubscribe = new Map<string, () => void>();
  return {
    name: `fan-out-${instanceId}`,
    onLoadDocument({ docId, document }) {
      unsubscribe.set(
        docId,
        bus.subscribe(docId, (from, update) => {
          if (from !== instanceId) Y.applyUpdate(document, update, instanceOrigin(from));
        }),
      );
    },
    afterCommit({ docId, update }) {
      bus.publish(docId, instanceId, update);
    },
    beforeUnload({ docId }) {
      unsubscribe.get(docId)?.();
      unsubscribe.delete(docId);
    },
  };
}

/** Imports `markdown` into the live document over REST (a server write). */
async function putMarkdown(server: TestServer, docId: string, markdown: string): Promise<number> {
  const response = await server.app.inject({
    method: 'PUT',
    url: `/api/docs/${docId}/markdown`,
    headers: { 'content-type': 'text/markdown' },
    payload: markdown,
  });
  return response.statusCode;
}

const storedUpdates = async (server: TestServer, docId: string): Promise<number> =>
  (await server.app.storage.loadDoc(docId))!.updates.length;

describe('sync-core extensions, added without editing the core', () => {
  const servers: TestServer[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    for (const server of servers.splice(0)) await server.close();
  });
  const start = async (extensions: Extension[]) => {
    const server = await startServer({}, { extensions });
    servers.push(server);
    return server;
  };
  const raw = (server: TestServer, docId: string) => {
    const client = RawClient.connect(server.wsUrl, docId);
    cleanups.push(() => client.close());
    return client;
  };
  const provider = (server: TestServer, docId: string) => {
    const client = connectProvider(server.wsUrl, docId);
    cleanups.push(() => client.provider.destroy());
    return client;
  };

  it('an onAuthenticate hook refuses a connection with its close code, before the document loads (A14)', async () => {
    const loaded: string[] = [];
    const server = await start([
      {
        name: 'deny-all',
        onAuthenticate: () => {
          throw new ConnectionRejected(CloseCode.DocumentNotFound, 'no access to this document');
        },
        onLoadDocument: ({ docId }) => void loaded.push(docId),
      },
    ]);
    const docId = await createDoc(server.app);
    const client = raw(server, docId);
    await client.opened;
    client.send(frames.update(appendText(new Y.Doc(), 'sneaked in')));
    expect(await client.closed).toBe(CloseCode.DocumentNotFound);
    expect(loaded).toEqual([]);
    expect(server.app.collab.stats().loadedDocs).toBe(0);
    expect(await storedUpdates(server, docId)).toBe(0);
  });

  it('a connection made read-only by onAuthenticate syncs and sees others, but its updates are dropped on every message (A16)', async () => {
    let connections = 0;
    const server = await start([
      { name: 'first-reads-only', onAuthenticate: () => ({ readOnly: ++connections === 1 }) },
    ]);
    const docId = await createDoc(server.app);
    const reader = raw(server, docId); // connection 1: read-only
    await reader.handshake();
    const writer = provider(server, docId); // connection 2: may write
    await writer.synced;
    reader.send(frames.update(appendText(new Y.Doc(), 'forbidden')));
    writer.doc.getText('t').insert(0, 'allowed');
    await waitFor(() => reader.toDoc().getText('t').toJSON() === 'allowed', 5000, 'the edit');
    await sleep(100);
    expect(writer.doc.getText('t').toJSON()).toBe('allowed');
    expect(reader.closeCode).toBeUndefined();
    const stored = await server.app.storage.loadDoc(docId);
    const fresh = new Y.Doc();
    for (const update of stored!.updates) Y.applyUpdate(fresh, update);
    expect(fresh.getText('t').toJSON()).toBe('allowed');
  });

  it('an afterCommit hook sees each commit once, client edits and server writes alike, after it is stored', async () => {
    const seen: { docId: string; text: string; storedWhenSeen: number }[] = [];
    const pendingChecks: Promise<void>[] = [];
    const server: TestServer = await start([
      {
        name: 'observer',
        afterCommit: ({ docId, update }: AfterCommitPayload) => {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, update);
          const entry = { docId, text: doc.getText('t').toJSON(), storedWhenSeen: -1 };
          seen.push(entry);
          pendingChecks.push(
            storedUpdates(server, docId).then((n) => void (entry.storedWhenSeen = n)),
          );
        },
      },
    ]);
    const docId = await createDoc(server.app);
    const client = raw(server, docId);
    await client.handshake();
    client.send(frames.update(appendText(new Y.Doc(), 'typed')));
    await waitFor(() => seen.length === 1, 5000, 'the first commit');
    expect(seen[0]).toMatchObject({ docId, text: 'typed' });

    expect(await putMarkdown(server, docId, '# Imported\n')).toBe(200);
    await Promise.all(pendingChecks);
    // one commit per write, each already on disk when the hook ran
    expect(seen).toHaveLength(2);
    expect(seen.map((s) => s.storedWhenSeen)).toEqual([1, 2]);
    expect(await storedUpdates(server, docId)).toBe(2);
  });

  it('a fan-out extension relays edits between two instances: broadcast there, stored only where they arrived (F42)', async () => {
    const bus = new MemoryBus();
    const one = await start([buildFanOut('one', bus)]);
    const two = await start([buildFanOut('two', bus)]);
    const docId = await createDoc(one.app);
    // the same document in the second instance's storage (a shared database in production)
    const meta = (await one.app.storage.getDocMeta(docId))!;
    const stored = (await one.app.storage.loadDoc(docId))!;
    await two.app.storage.createDoc(meta, stored.snapshot ?? Y.mergeUpdates([...stored.updates]));
    const before = [await storedUpdates(one, docId), await storedUpdates(two, docId)];

    const a = provider(one, docId);
    const b = provider(two, docId);
    await Promise.all([a.synced, b.synced]);
    a.doc.getText('t').insert(0, 'from one; ');
    await waitFor(() => b.doc.getText('t').toJSON() === 'from one; ', 5000, 'one → two');
    b.doc.getText('t').insert(b.doc.getText('t').length, 'from two');
    const both = 'from one; from two';
    await waitFor(() => a.doc.getText('t').toJSON() === both, 5000, 'two → one');

    const beforeImport = Buffer.from(Y.encodeStateVector(b.doc)).toString('hex');
    expect(await putMarkdown(one, docId, '# From REST\n')).toBe(200);
    const vectorOf = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('hex');
    await waitFor(
      () => vectorOf(b.doc) !== beforeImport && vectorOf(a.doc) === vectorOf(b.doc),
      5000,
      'the import on both instances',
    );
    await sleep(100);
    // each instance stored what arrived at it, once: one client edit each, and the import on one
    expect(await storedUpdates(one, docId)).toBe(before[0]! + 2);
    expect(await storedUpdates(two, docId)).toBe(before[1]! + 1);
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
  });
});
