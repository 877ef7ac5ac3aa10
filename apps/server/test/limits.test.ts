import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../src/index.ts';
import {
  RawClient,
  type TestServer,
  assertOtherRoomsWork,
  createDoc,
  frames,
  sleep,
  startServer,
  waitFor,
} from './support.ts';

/** Each limit answers with a clear close code or HTTP status, and only the offender is hit. */
describe('limits', () => {
  let server: TestServer | undefined;
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
    server = undefined;
  });
  const connect = (docId: string, options = {}) => {
    const client = RawClient.connect(server!.wsUrl, docId, options);
    clients.push(client);
    return client;
  };

  /** An update inserting `text` at the end, from a doc of its own. */
  const edit = (doc: Y.Doc, text: string) => {
    let update: Uint8Array = new Uint8Array();
    const capture = (u: Uint8Array) => (update = u);
    doc.on('update', capture);
    doc.getText('t').insert(doc.getText('t').length, text);
    doc.off('update', capture);
    return update;
  };

  it('refuses the 101st client of a document with 4503, the others unaffected (R45)', async () => {
    server = await startServer({ MAX_CLIENTS_PER_DOC: '100' });
    const docId = await createDoc(server.app);
    const hundred = Array.from({ length: 100 }, () => connect(docId));
    await Promise.all(hundred.map((c) => c.handshake()));
    const extra = connect(docId);
    expect(await extra.closed).toBe(CloseCode.TooManyClients);
    const writer = new Y.Doc();
    hundred[0]!.send(frames.update(edit(writer, 'still here')));
    await waitFor(
      () => hundred.every((c) => c.toDoc().getText('t').toJSON() === 'still here'),
      10_000,
      'fan-out',
    );
    expect(hundred.every((c) => c.closeCode === undefined)).toBe(true);
  });

  it('refuses connections over MAX_CONNECTIONS_PER_IP with HTTP 429 before the upgrade', async () => {
    server = await startServer({ MAX_CONNECTIONS_PER_IP: '3' });
    const docId = await createDoc(server.app);
    const three = [connect(docId), connect(docId), connect(docId)];
    await Promise.all(three.map((c) => c.handshake()));
    const fourth = connect(docId);
    await fourth.closed;
    expect(fourth.unexpectedStatus).toBe(429);
    // another address is not affected
    const other = connect(docId, { localAddress: '127.0.0.2' });
    await other.handshake();
    // and a slot frees up when one leaves
    three[0]!.close();
    await three[0]!.closed;
    await waitFor(() => server!.app.collab.stats().connections === 3);
    const again = connect(docId);
    await again.handshake();
  });

  it('refuses more connection attempts per minute than WS_CONNECTS_PER_MINUTE, per address (R46)', async () => {
    server = await startServer({ WS_CONNECTS_PER_MINUTE: '15' });
    const docId = await createDoc(server.app);
    const statuses: (number | undefined)[] = [];
    for (let i = 0; i < 16; i++) {
      const c = connect(docId);
      await c.opened.catch(() => undefined);
      statuses.push(c.unexpectedStatus);
      c.close();
    }
    expect(statuses.slice(0, 15).every((s) => s === undefined)).toBe(true);
    expect(statuses[15]).toBe(429);
    const other = connect(docId, { localAddress: '127.0.0.2' });
    await other.handshake();
  });

  it('closes a client sending 1000 updates/s with 4529; others keep p99 under 250 ms (R47)', async () => {
    server = await startServer({ WS_MESSAGES_PER_SECOND: '50', WS_MESSAGE_BURST: '200' });
    const docId = await createDoc(server.app);
    const attacker = connect(docId);
    const writer = connect(docId);
    const reader = connect(docId);
    await Promise.all([attacker.handshake(), writer.handshake(), reader.handshake()]);
    const attackerDoc = new Y.Doc();
    const writerDoc = new Y.Doc();
    const latencies: number[] = [];
    const flood = (async () => {
      for (let i = 0; i < 1000 && attacker.closeCode === undefined; i++) {
        attacker.send(frames.update(edit(attackerDoc, 'x')));
        if (i % 10 === 0) await sleep(10);
      }
    })();
    for (let i = 0; i < 40; i++) {
      const marker = `<${i}>`;
      const sent = performance.now();
      writer.send(frames.update(edit(writerDoc, marker)));
      await waitFor(
        () =>
          Buffer.from(reader.messages.at(-1)?.raw ?? []).includes(marker) ||
          reader.toDoc().getText('t').toJSON().includes(marker),
        5000,
      );
      latencies.push(performance.now() - sent);
      await sleep(10);
    }
    await flood;
    expect(await attacker.closed).toBe(CloseCode.RateLimited);
    latencies.sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length * 0.99)]!).toBeLessThan(250);
    expect(writer.closeCode).toBeUndefined();
  });

  it('refuses growth past MAX_DOC_BYTES with 4413, keeping the stored document within the limit', async () => {
    server = await startServer({ MAX_DOC_BYTES: String(64 * 1024) });
    const docId = await createDoc(server.app);
    const client = connect(docId);
    await client.handshake();
    const doc = new Y.Doc();
    for (let i = 0; i < 100 && client.closeCode === undefined; i++) {
      client.send(frames.update(edit(doc, 'y'.repeat(2000))));
      await sleep(2);
    }
    expect(await client.closed).toBe(CloseCode.DocumentTooLarge);
    const stored = await server.app.storage.loadDoc(docId);
    expect(stored!.storedBytes).toBeLessThanOrEqual(64 * 1024);
    await assertOtherRoomsWork(server);
  });
});
