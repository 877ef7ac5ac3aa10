import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteStorage } from '../src/index.ts';
import {
  RawClient,
  type TestServer,
  assertOtherRoomsWork,
  createDoc,
  frames,
  startServer,
  waitFor,
} from './support.ts';

/**
 * Big documents load on the state worker and reach the room in slices (one per event-loop turn);
 * the merged state answers fresh clients; a big document's snapshot is encoded on the worker.
 * The figures (stall while loading, warm sync) are in `pnpm bench server`.
 */

const ENTRIES = 10_000;
const MiB = 1024 * 1024;

/** The bench's big document: an array of 10,000 maps, each with an id, a text and a flag. */
function bigDoc(): Y.Doc {
  const doc = new Y.Doc();
  const entries = doc.getArray<Y.Map<unknown>>('entries');
  doc.transact(() => {
    for (let i = 0; i < ENTRIES; i++) {
      const entry = new Y.Map<unknown>();
      entry.set('id', `e${i}`);
      entry.set('text', new Y.Text(`Entry ${i}: a component, its responsibility and its links`));
      entry.set('done', i % 2 === 0);
      entries.push([entry]);
    }
  });
  return doc;
}

const contentOf = (doc: Y.Doc) => JSON.stringify(doc.getArray('entries').toJSON());

/** Sends an update and waits for its echo (committed). */
async function commit(client: RawClient, update: Uint8Array): Promise<void> {
  const before = client.messages.length;
  client.send(frames.update(update));
  await waitFor(
    () => client.messages.slice(before).some((m) => m.kind === 'update'),
    20_000,
    'the echo',
  );
}

function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const capture = (u: Uint8Array) => updates.push(u);
  doc.on('update', capture);
  change();
  doc.off('update', capture);
  return Y.mergeUpdates(updates);
}

describe('big documents load without blocking (state worker)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('loads a 10,000-entry document from storage in slices, whole for fresh and returning clients', async () => {
    server = await startServer({ WS_MAX_MESSAGE_BYTES: String(4 * MiB) });
    const docId = await createDoc(server.app, 'big');
    const author = bigDoc();
    const writer = RawClient.connect(server.wsUrl, docId);
    await writer.handshake();
    await commit(writer, Y.encodeStateAsUpdate(author));
    writer.close();
    await waitFor(() => server!.app.collab.stats().loadedDocs === 0, 10_000, 'the unload');

    // cold: the room loads from storage; a fresh client gets everything in its first reply
    const fresh = RawClient.connect(server.wsUrl, docId);
    const reply = await fresh.handshake();
    const seen = new Y.Doc();
    Y.applyUpdate(seen, reply.payload);
    expect(contentOf(seen)).toBe(contentOf(author));

    // an edit, then another fresh client: the cached state plus what changed since
    const edit = updateOf(author, () => {
      const entry = author.getArray<Y.Map<unknown>>('entries').get(42);
      (entry.get('text') as Y.Text).insert(0, 'edited: ');
      author.getArray('entries').delete(7, 3);
    });
    await commit(fresh, edit);
    const late = RawClient.connect(server.wsUrl, docId);
    await late.handshake();
    await waitFor(() => contentOf(late.toDoc()) === contentOf(author), 5000, 'the late client');

    // a returning client with most of the document gets only what it lacks
    const returning = new Y.Doc();
    Y.applyUpdate(returning, reply.payload);
    const back = RawClient.connect(server.wsUrl, docId);
    await back.opened;
    back.send(frames.syncStep1(Y.encodeStateVector(returning)));
    const diff = await back.waitForMessage((m) => m.kind === 'syncStep2');
    expect(diff.payload.length).toBeLessThan(reply.payload.length / 20);
    Y.applyUpdate(returning, diff.payload);
    expect(contentOf(returning)).toBe(contentOf(author));
    for (const c of [fresh, late, back]) c.close();
    await assertOtherRoomsWork(server);
  });

  it('compacts a big document on the worker: the snapshot drops deleted content and reloads identical', async () => {
    server = await startServer({
      WS_MAX_MESSAGE_BYTES: String(4 * MiB),
      COMPACT_AFTER_UPDATES: '20',
      UNLOAD_DELAY_MS: '60000',
    });
    const docId = await createDoc(server.app, 'big');
    const author = bigDoc();
    const writer = RawClient.connect(server.wsUrl, docId);
    await writer.handshake();
    await commit(writer, Y.encodeStateAsUpdate(author));
    // reload it from storage so that the room holds a cached state, then delete a lot
    writer.close();
    await writer.closed;
    await server.close();
    server = await startServer({ ...server.env, PORT: '0' });
    const editor = RawClient.connect(server.wsUrl, docId);
    await editor.handshake();
    const secret = 'removed-paragraph-'.repeat(50);
    for (let round = 0; round < 25; round++) {
      await commit(
        editor,
        updateOf(author, () => {
          const text = author.getArray<Y.Map<unknown>>('entries').get(round).get('text') as Y.Text;
          text.insert(0, secret);
          text.delete(0, secret.length);
        }),
      );
    }
    const storage = new SqliteStorage(server.env.DATA_DIR!);
    try {
      // compaction runs after the 20th update, in the background: read until the log shrank
      let stored = await storage.loadDoc(docId);
      const deadline = Date.now() + 15_000;
      while ((stored?.updates.length ?? 0) >= 20 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        stored = await storage.loadDoc(docId);
      }
      expect(stored?.updates.length ?? 99).toBeLessThan(20);
      expect(stored?.snapshot).not.toBeNull();
      expect(Buffer.from(stored!.snapshot!).includes('removed-paragraph')).toBe(false);
      const reloaded = new Y.Doc();
      for (const row of [stored!.snapshot!, ...stored!.updates]) Y.applyUpdate(reloaded, row);
      expect(contentOf(reloaded)).toBe(contentOf(author));
    } finally {
      await storage.close();
    }
    editor.close();
  });
});
