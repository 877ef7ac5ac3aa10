import { ROOT_NAME, cardPath, getText, insertCard } from '@syspat/ydoc';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../src/index.ts';
import {
  RawClient,
  type TestServer,
  assertOtherRoomsWork,
  connectProvider,
  createDoc,
  frames,
  maxLoopDelayDuring,
  startServer,
  waitFor,
} from './support.ts';

/**
 * Big documents (reliability.md R44): a ~5 MB document with 200,000 edits of history served to
 * 20 stock clients connecting at once, and growth past MAX_DOC_BYTES refused with 4413 while
 * the stored document stays intact.
 */

const MiB = 1024 * 1024;

/** Collects the updates `change` makes to `doc`. */
function updatesOf(doc: Y.Doc, change: () => void): Uint8Array[] {
  const out: Uint8Array[] = [];
  const capture = (u: Uint8Array) => out.push(u);
  doc.on('update', capture);
  try {
    change();
  } finally {
    doc.off('update', capture);
  }
  return out;
}

/** Sends `update` in frames under `maxBytes`, waiting for each echo (the server's commit). */
async function sendAll(client: RawClient, updates: Uint8Array[]): Promise<void> {
  for (const update of updates) {
    const before = client.messages.length;
    client.send(frames.update(update));
    await waitFor(
      () =>
        client.closeCode !== undefined ||
        client.messages.slice(before).some((m) => m.kind === 'update'),
      20_000,
      'the server to commit an update',
    );
    if (client.closeCode !== undefined) throw new Error(`closed with ${client.closeCode}`);
  }
}

const contentOf = (doc: Y.Doc) => JSON.stringify(doc.getMap(ROOT_NAME).toJSON());

describe('big documents (R44)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves a 5 MB document with 200k edits to 20 clients connecting at once (R44)', async () => {
    server = await startServer({ WS_MAX_MESSAGE_BYTES: String(2 * MiB) });
    const docId = await createDoc(server.app, 'big');

    // the author: 100 cards, each note typed as 2,000 appends of 25 characters
    // (200,000 edits in 10,000 transactions)
    const author = new Y.Doc();
    const loader = RawClient.connect(server.wsUrl, docId);
    const first = await loader.handshake();
    Y.applyUpdate(author, first.payload);
    const buildStarted = Date.now();
    const batches: Uint8Array[] = [];
    for (let c = 0; c < 100; c++) {
      const updates = updatesOf(author, () => {
        const card = insertCard(author, 'components');
        const title = getText(author, [...cardPath('components', card.id), 'title'])!;
        title.insert(0, `Card ${c}`);
        const notes = getText(author, [...cardPath('components', card.id), 'notes']);
        const target = notes ?? title;
        // 100 transactions of 20 appends each: 200,000 edits, as typing in bursts would make
        for (let burst = 0; burst < 100; burst++) {
          author.transact(() => {
            for (let i = burst * 20; i < burst * 20 + 20; i++) {
              target.insert(target.length, ` c${c}e${i}`.padEnd(25, '.'));
            }
          });
        }
      });
      batches.push(Y.mergeUpdates(updates));
    }
    const buildMs = Date.now() - buildStarted;
    const sendStarted = Date.now();
    await sendAll(loader, batches);
    const sendMs = Date.now() - sendStarted;
    loader.close();
    await loader.closed;
    const encoded = Y.encodeStateAsUpdate(author).byteLength;
    expect(encoded).toBeGreaterThan(4.5 * MiB);
    const expected = contentOf(author);

    // wait for the document to leave memory (UNLOAD_DELAY_MS=0), so the first wave loads it cold
    await waitFor(() => server!.app.collab.stats().loadedDocs === 0, 10_000, 'the unload');
    const clients = Array.from({ length: 20 }, () => connectProvider(server!.wsUrl, docId));
    let coldMs = 0;
    const coldLag = await maxLoopDelayDuring(async () => {
      const started = Date.now();
      await Promise.all(clients.map((c) => c.synced));
      coldMs = Date.now() - started;
    });
    for (const c of clients) expect(contentOf(c.doc) === expected, 'full state').toBe(true);

    // all 20 drop and reconnect at once, and 20 more fresh clients join in the same instant
    for (const c of clients) c.provider.disconnect();
    await waitFor(() => server!.app.collab.stats().loadedDocs === 0, 10_000, 'the unload');
    const fresh = Array.from({ length: 20 }, () => connectProvider(server!.wsUrl, docId));
    const resynced = clients.map(
      (c) =>
        new Promise<void>((resolve) =>
          c.provider.once('sync', (isSynced: boolean) => isSynced && resolve()),
        ),
    );
    let reconnectMs = 0;
    const reconnectLag = await maxLoopDelayDuring(async () => {
      const started = Date.now();
      for (const c of clients) c.provider.connect();
      await Promise.all([...resynced, ...fresh.map((c) => c.synced)]);
      reconnectMs = Date.now() - started;
    });
    for (const c of [...clients, ...fresh]) {
      expect(contentOf(c.doc) === expected, 'full state').toBe(true);
    }
    for (const c of [...clients, ...fresh]) c.provider.destroy();
    const rssMiB = process.memoryUsage().rss / MiB;
    console.log(
      `R44: ${(encoded / MiB).toFixed(2)} MB encoded, 200,000 edits (built in ${buildMs} ms, ` +
        `stored in ${sendMs} ms); 20 cold clients synced in ${coldMs} ms (loop lag ${coldLag.toFixed(0)} ms); ` +
        `20 reconnecting + 20 new clients in ${reconnectMs} ms (loop lag ${reconnectLag.toFixed(0)} ms); ` +
        `RSS ${rssMiB.toFixed(0)} MiB`,
    );
    expect(coldMs).toBeLessThan(30_000);
    expect(reconnectMs).toBeLessThan(30_000);
    await assertOtherRoomsWork(server);
  });

  it('refuses growth past MAX_DOC_BYTES with 4413 to a stock client, the stored document intact (R44)', async () => {
    const maxBytes = 128 * 1024;
    server = await startServer({ MAX_DOC_BYTES: String(maxBytes), UNLOAD_DELAY_MS: '0' });
    const docId = await createDoc(server.app, 'capped');
    const writer = connectProvider(server.wsUrl, docId);
    const observer = connectProvider(server.wsUrl, docId);
    const closes: number[] = [];
    writer.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) closes.push(event.code);
    });
    await Promise.all([writer.synced, observer.synced]);
    const card = insertCard(writer.doc, 'components');
    const title = getText(writer.doc, [...cardPath('components', card.id), 'title'])!;
    for (let i = 0; i < 200 && closes.length === 0; i++) {
      title.insert(title.length, `<${i}>${'g'.repeat(1000)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitFor(() => closes.length > 0, 10_000, 'the close');
    expect(closes[0]).toBe(CloseCode.DocumentTooLarge);
    // permanent: the stock client does not reconnect to retry the same growth
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(closes).toHaveLength(1);
    expect(writer.provider.wsconnected).toBe(false);

    // what the observer saw is what was committed; the stored document holds exactly that
    const markdown = await (await fetch(`${server.url}/api/docs/${docId}/markdown`)).text();
    const stored = await server.app.storage.loadDoc(docId);
    expect(stored!.storedBytes).toBeLessThanOrEqual(maxBytes);
    const reloaded = new Y.Doc();
    if (stored!.snapshot) Y.applyUpdate(reloaded, stored!.snapshot);
    for (const u of stored!.updates) Y.applyUpdate(reloaded, u);
    expect(contentOf(reloaded)).toBe(contentOf(observer.doc));
    const accepted = (contentOf(observer.doc).match(/<\d+>/g) ?? []).length;
    expect(accepted).toBeGreaterThan(50);

    // after a restart on the same data the export is unchanged and the document loads
    const env = server.env;
    writer.provider.destroy();
    observer.provider.destroy();
    await server.close();
    server = await startServer({ ...env });
    const again = await fetch(`${server.url}/api/docs/${docId}/markdown`);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(markdown);
    const reader = connectProvider(server.wsUrl, docId);
    await reader.synced;
    expect(contentOf(reader.doc)).toBe(contentOf(reloaded));
    reader.provider.destroy();
    console.log(`R44 cap: ${accepted} edits of ~1 KB accepted under ${maxBytes} bytes, then 4413`);
    await assertOtherRoomsWork(server);
  });
});
