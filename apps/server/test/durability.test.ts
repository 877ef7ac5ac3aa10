import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, SqliteStorage, type UpdateBatch } from '../src/index.ts';
import {
  type ChildServer,
  RawClient,
  type TestServer,
  assertOtherRoomsWork,
  buildTestEnv,
  connectProvider,
  createDoc,
  createDocHttp,
  frames,
  sleep,
  startChildServer,
  startServer,
  waitFor,
  appendText,
} from './support.ts';

/** Reads a document as a fresh client would: the server's first sync reply. */
async function readThroughServer(wsUrl: string, docId: string): Promise<Y.Doc> {
  const client = RawClient.connect(wsUrl, docId);
  const reply = await client.handshake();
  client.close();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, reply.payload);
  return doc;
}

/** SQLite with injected faults and latency: the real adapter, slowed or failing on demand. */
class FaultyStorage extends SqliteStorage {
  appendDelayMs = 0;
  failAppends = false;
  failLoads = false;
  appendCalls = 0;
  appendedDocs: string[] = [];
  override async appendUpdates(
    batches: readonly UpdateBatch[],
    now: number,
  ): Promise<Map<string, number>> {
    this.appendCalls += 1;
    if (this.appendDelayMs > 0) await sleep(this.appendDelayMs);
    if (this.failAppends)
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    for (const b of batches) this.appendedDocs.push(b.docId);
    return super.appendUpdates(batches, now);
  }
  override loadDoc(id: string) {
    if (this.failLoads) return Promise.reject(new Error('database is locked'));
    return super.loadDoc(id);
  }
}

describe('durability', () => {
  const children: ChildServer[] = [];
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    for (const s of servers.splice(0)) await s.close();
  });

  it('loses no acknowledged edit when the server is killed with SIGKILL (R32)', async () => {
    const env = buildTestEnv();
    const first = await startChildServer(env);
    children.push(first);
    const docId = await createDocHttp(first.url);

    // a stock client writes; a second stock client observes: what it saw was committed first
    const writer = connectProvider(first.wsUrl, docId);
    const observer = connectProvider(first.wsUrl, docId);
    await Promise.all([writer.synced, observer.synced]);
    // and a raw client waits for the echo (the ack) of its own edit
    const acker = RawClient.connect(first.wsUrl, docId);
    await acker.handshake();
    const ackDoc = new Y.Doc();
    ackDoc.clientID = 999_999;

    let i = 0;
    const writing = setInterval(
      () => writer.doc.getText('t').insert(writer.doc.getText('t').length, `[w${i++}]`),
      2,
    );
    await waitFor(
      () => observer.doc.getText('t').length > 300,
      20_000,
      'the observer to see edits',
    );
    acker.send(frames.update(appendText(ackDoc, '[acked]')));
    await acker.waitForMessage(
      (m) => m.kind === 'update' && Buffer.from(m.raw).includes('[acked]'),
    );
    await sleep(10);
    first.child.kill('SIGKILL');
    clearInterval(writing);
    const observed = observer.doc.getText('t').toJSON();
    // drop the clients before the restart so that nothing is re-sent from them
    writer.provider.destroy();
    observer.provider.destroy();
    acker.close();
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await startChildServer(env);
    children.push(second);
    const reloaded = (await readThroughServer(second.wsUrl, docId)).getText('t').toJSON();
    const seen = observed.match(/\[w\d+\]/g) ?? [];
    expect(seen.length).toBeGreaterThan(50);
    for (const marker of seen) expect(reloaded).toContain(marker);
    expect(reloaded).toContain('[acked]');
    second.child.kill('SIGTERM');
    await second.exited;
  });

  it('flushes every dirty document on SIGTERM, closes clients with 1012, and exits in time (R33)', async () => {
    const env = buildTestEnv({ UNLOAD_DELAY_MS: '60000' });
    const first = await startChildServer(env);
    children.push(first);
    const docIds = await Promise.all(
      Array.from({ length: 50 }, (_, n) => createDocHttp(first.url, `doc ${n}`)),
    );
    const clients = docIds.map((id) => RawClient.connect(first.wsUrl, id));
    await Promise.all(clients.map((c) => c.handshake()));
    // half the docs keep their client; the other half are left dirty with nobody connected
    clients.forEach((client, n) =>
      client.send(frames.update(appendText(new Y.Doc(), `edit-${n}`))),
    );
    for (const client of clients.slice(25)) client.close();
    const started = Date.now();
    first.child.kill('SIGTERM');
    first.child.kill('SIGTERM'); // a second signal is harmless
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const codes = await Promise.all(clients.slice(0, 25).map((c) => c.closed));
    expect(codes.every((code) => code === CloseCode.ServiceRestart)).toBe(true);

    const second = await startChildServer(env);
    children.push(second);
    for (const [n, id] of docIds.entries()) {
      expect((await readThroughServer(second.wsUrl, id)).getText('t').toJSON()).toBe(`edit-${n}`);
    }
    second.child.kill('SIGTERM');
    await second.exited;
  });

  it('shuts down in-process twice without harm, flushing what was pending (R33)', async () => {
    const env = buildTestEnv();
    const server = await startServer(env);
    const docId = await createDoc(server.app);
    const client = RawClient.connect(server.wsUrl, docId);
    await client.handshake();
    client.send(frames.update(appendText(new Y.Doc(), 'before shutdown')));
    await Promise.all([server.close(), server.close()]);
    expect(await client.closed).toBe(CloseCode.ServiceRestart);
    const storage = new SqliteStorage(env.DATA_DIR!);
    const stored = await storage.loadDoc(docId);
    const doc = new Y.Doc();
    for (const u of [stored!.snapshot!, ...stored!.updates]) Y.applyUpdate(doc, u);
    expect(doc.getText('t').toJSON()).toBe('before shutdown');
    await storage.close();
  });

  it('does not unload a document while its store is running; the next client sees every change (R34)', async () => {
    const env = buildTestEnv({ UNLOAD_DELAY_MS: '0' });
    const storage = new FaultyStorage(env.DATA_DIR!);
    const server = await startServer(env, { storage });
    servers.push(server);
    const docId = await createDoc(server.app);
    storage.appendDelayMs = 500;
    const one = RawClient.connect(server.wsUrl, docId);
    await one.handshake();
    const doc = new Y.Doc();
    one.send(frames.update(appendText(doc, 'change 1;')));
    await waitFor(() => storage.appendCalls === 1, 2000, 'the store to start');
    one.send(frames.update(appendText(doc, 'change 2;')));
    await sleep(20);
    one.close();
    await one.closed;
    const two = RawClient.connect(server.wsUrl, docId);
    const reply = await two.handshake();
    const seen = new Y.Doc();
    Y.applyUpdate(seen, reply.payload);
    expect(seen.getText('t').toJSON()).toBe('change 1;change 2;');
    two.close();
  });

  it('keeps updates unacknowledged while storage fails, reports degraded, and stores them once it recovers (R35)', async () => {
    const env = buildTestEnv();
    const storage = new FaultyStorage(env.DATA_DIR!);
    const server = await startServer(env, { storage });
    const docId = await createDoc(server.app);
    const client = RawClient.connect(server.wsUrl, docId);
    await client.handshake();
    storage.failAppends = true;
    client.send(frames.update(appendText(new Y.Doc(), 'survives a full disk')));
    await waitFor(() => storage.appendCalls >= 2, 5000, 'a retry');
    expect(client.messages.filter((m) => m.kind === 'update')).toHaveLength(0); // no ack
    const health = await server.app.inject('/api/health');
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'degraded', storage: false });

    storage.failAppends = false;
    await client.waitForMessage((m) => m.kind === 'update', 10_000); // the ack, after the retry
    expect((await server.app.inject('/api/health')).statusCode).toBe(200);
    client.close();
    await server.close();

    const db = new Database(path.join(env.DATA_DIR!, 'syspat.sqlite'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const again = await startServer(env);
    servers.push(again);
    expect((await readThroughServer(again.wsUrl, docId)).getText('t').toJSON()).toBe(
      'survives a full disk',
    );
  });

  it('does not store anything when one client opens and closes a document 100 times (R37)', async () => {
    const env = buildTestEnv({ UNLOAD_DELAY_MS: '0' });
    const storage = new FaultyStorage(env.DATA_DIR!);
    const server = await startServer(env, { storage });
    servers.push(server);
    const docId = await createDoc(server.app);
    const writer = RawClient.connect(server.wsUrl, docId);
    await writer.handshake();
    writer.send(frames.update(appendText(new Y.Doc(), 'kept')));
    await writer.waitForMessage((m) => m.kind === 'update');
    writer.close();
    await writer.closed;
    const callsBefore = storage.appendCalls;
    for (let i = 0; i < 100; i++) {
      const c = RawClient.connect(server.wsUrl, docId);
      await c.handshake();
      c.close();
      await c.closed;
    }
    expect(storage.appendCalls).toBe(callsBefore);
    expect((await readThroughServer(server.wsUrl, docId)).getText('t').toJSON()).toBe('kept');
  });

  it('refuses connections when loading fails and never persists an empty doc over the stored one (R38)', async () => {
    const env = buildTestEnv();
    const storage = new FaultyStorage(env.DATA_DIR!);
    const server = await startServer(env, { storage });
    servers.push(server);
    const docId = await createDoc(server.app);
    const writer = RawClient.connect(server.wsUrl, docId);
    await writer.handshake();
    writer.send(frames.update(appendText(new Y.Doc(), 'precious')));
    await writer.waitForMessage((m) => m.kind === 'update');
    writer.close();
    await waitFor(() => server.app.collab.stats().loadedDocs === 0, 5000, 'unload');

    storage.failLoads = true;
    storage.appendedDocs = [];
    const refused = RawClient.connect(server.wsUrl, docId);
    await refused.opened;
    refused.send(frames.update(appendText(new Y.Doc(), 'must not land')));
    expect(await refused.closed).toBe(CloseCode.InternalError);
    const md = await server.app.inject(`/api/docs/${docId}/markdown`);
    expect(md.statusCode).toBe(503);
    expect(md.json<{ error: string }>().error).toBe('document_unavailable');
    expect(storage.appendedDocs).not.toContain(docId);

    storage.failLoads = false;
    expect((await readThroughServer(server.wsUrl, docId)).getText('t').toJSON()).toBe('precious');
  });

  it('quarantines a document whose stored row is corrupt; boot and other documents are unaffected (R5)', async () => {
    const env = buildTestEnv();
    const server = await startServer(env);
    const broken = await createDoc(server.app);
    const healthy = await createDoc(server.app);
    await server.close();
    const db = new Database(path.join(env.DATA_DIR!, 'syspat.sqlite'));
    const garbage = new Uint8Array([
      0, 1, 35, 0, 0, 0, 1, 2, 129, 0, 0, 16, 0, 199, 220, 0, 196, 122, 128, 0, 65,
    ]);
    db.prepare('INSERT INTO updates (doc_id, data) VALUES (?, ?)').run(broken, garbage);
    db.close();

    const again = await startServer(env);
    servers.push(again);
    const client = RawClient.connect(again.wsUrl, broken);
    expect(await client.closed).toBe(CloseCode.InternalError);
    await readThroughServer(again.wsUrl, healthy);
    await assertOtherRoomsWork(again);
    const stored = await again.app.storage.loadDoc(broken);
    expect(stored!.updates.map((u) => Array.from(u))).toEqual([Array.from(garbage)]);
  });

  it('compacts while five clients write without losing an update (R43)', async () => {
    const env = buildTestEnv({ COMPACT_AFTER_UPDATES: '20' });
    const server = await startServer(env);
    servers.push(server);
    const docId = await createDoc(server.app);
    const writers = Array.from({ length: 5 }, () => RawClient.connect(server.wsUrl, docId));
    await Promise.all(writers.map((w) => w.handshake()));
    const docs = writers.map(() => new Y.Doc());
    for (let round = 0; round < 60; round++) {
      writers.forEach((w, n) => w.send(frames.update(appendText(docs[n]!, `<${n}:${round}>`))));
      await sleep(round % 10 === 0 ? 5 : 0);
    }
    const expected = docs.reduce((n, d) => n + d.getText('t').length, 0);
    await waitFor(
      () => writers[0]!.toDoc().getText('t').length === expected,
      10_000,
      'all updates',
    );
    expect(server.app.metrics.compactions.get()).toBeGreaterThan(0);
    const live = writers[0]!.toDoc();
    const stored = await server.app.storage.loadDoc(docId);
    expect(stored!.updates.length).toBeLessThan(300);
    const fromDisk = new Y.Doc();
    for (const u of [stored!.snapshot!, ...stored!.updates]) Y.applyUpdate(fromDisk, u);
    expect(fromDisk.getText('t').toJSON()).toBe(live.getText('t').toJSON());
    expect(Y.encodeStateVector(fromDisk)).toEqual(Y.encodeStateVector(live));
    for (const w of writers) w.close();
  });

  it('unloads idle documents once every client has left (R48)', async () => {
    const server = await startServer({ UNLOAD_DELAY_MS: '0' });
    servers.push(server);
    const ids = await Promise.all(Array.from({ length: 200 }, () => createDoc(server.app)));
    const clients = ids.map((id) => RawClient.connect(server.wsUrl, id));
    await Promise.all(clients.map((c) => c.handshake()));
    expect(server.app.collab.stats().loadedDocs).toBe(200);
    for (const c of clients) c.close();
    await waitFor(() => server.app.collab.stats().loadedDocs === 0, 10_000, 'every doc to unload');
    expect(server.app.collab.stats().connections).toBe(0);
  });
});
