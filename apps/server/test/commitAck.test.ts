import * as decoding from 'lib0/decoding';
import { MessageType, encodeSubscribeCommits } from '@syspat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  type ChildServer,
  RawClient,
  type ReceivedMessage,
  type TestServer,
  buildTestEnv,
  connectProvider,
  createDoc,
  createDocHttp,
  frames,
  sleep,
  startChildServer,
  startServer,
  waitFor,
  FailingStorage,
  appendText,
} from './support.ts';

const subscribe = encodeSubscribeCommits;

/** The committed state vector carried by a type-100 message. */
function ackVector(message: ReceivedMessage): Map<number, number> {
  const decoder = decoding.createDecoder(message.raw);
  expect(decoding.readVarUint(decoder)).toBe(MessageType.CommitAck);
  const vector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
  expect(decoding.hasContent(decoder)).toBe(false);
  return vector;
}

const acks = (client: RawClient) => client.messages.filter((m) => m.kind === 'commitAck');

async function readThroughServer(wsUrl: string, docId: string): Promise<Y.Doc> {
  const client = RawClient.connect(wsUrl, docId);
  const reply = await client.handshake();
  client.close();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, reply.payload);
  return doc;
}

describe('commit acknowledgements (message type 100)', () => {
  const children: ChildServer[] = [];
  const servers: TestServer[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    for (const s of servers.splice(0)) await s.close();
  });

  it('acks once on subscribe, then after each commit; the acked edit survives kill -9', async () => {
    const env = buildTestEnv();
    const first = await startChildServer(env);
    children.push(first);
    const docId = await createDocHttp(first.url);
    const client = RawClient.connect(first.wsUrl, docId);
    await client.handshake();
    client.send(subscribe());
    const initial = ackVector(await client.waitForMessage((m) => m.kind === 'commitAck'));

    const doc = new Y.Doc();
    doc.clientID = 424_242;
    expect(initial.has(doc.clientID)).toBe(false);
    client.send(frames.update(appendText(doc, 'acknowledged edit')));
    await waitFor(() => acks(client).length === 2, 5000, 'the commit ack');
    const committed = ackVector(acks(client)[1]!);
    expect(committed.get(doc.clientID)).toBe(Y.getState(doc.store, doc.clientID));
    // the echo of the edit came before its ack
    const echo = client.messages.findIndex((m) => m.kind === 'update');
    expect(echo).toBeGreaterThan(-1);
    expect(echo).toBeLessThan(client.messages.indexOf(acks(client)[1]!));

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    client.close();
    const second = await startChildServer(env);
    children.push(second);
    expect((await readThroughServer(second.wsUrl, docId)).getText('t').toJSON()).toBe(
      'acknowledged edit',
    );
  });

  it('sends no ack while storage writes fail, and the committed vector once the retry succeeds', async () => {
    const env = buildTestEnv();
    const storage = new FailingStorage(env.DATA_DIR!);
    const server = await startServer(env, { storage });
    servers.push(server);
    const docId = await createDoc(server.app);
    const client = RawClient.connect(server.wsUrl, docId);
    cleanups.push(() => client.close());
    await client.handshake();
    client.send(subscribe());
    await client.waitForMessage((m) => m.kind === 'commitAck');

    storage.failAppends = true;
    const doc = new Y.Doc();
    client.send(frames.update(appendText(doc, 'held back')));
    await waitFor(() => storage.appendCalls >= 3, 5000, 'retries');
    expect(acks(client)).toHaveLength(1);
    // a second subscriber arriving meanwhile does not see the uncommitted edit either
    const late = RawClient.connect(server.wsUrl, docId);
    cleanups.push(() => late.close());
    await late.opened;
    late.send(subscribe());
    await sleep(100);
    expect(acks(late)).toHaveLength(0);

    storage.failAppends = false;
    await waitFor(() => acks(client).length === 2, 10_000, 'the ack after the retry');
    expect(ackVector(acks(client)[1]!).get(doc.clientID)).toBe(Y.getState(doc.store, doc.clientID));
    const lateAck = ackVector(await late.waitForMessage((m) => m.kind === 'commitAck'));
    expect(lateAck.get(doc.clientID)).toBe(Y.getState(doc.store, doc.clientID));
  });

  it('never reflects updates that are not committed yet', async () => {
    const env = buildTestEnv();
    const storage = new FailingStorage(env.DATA_DIR!);
    const server = await startServer(env, { storage });
    servers.push(server);
    const docId = await createDoc(server.app);
    const client = RawClient.connect(server.wsUrl, docId);
    cleanups.push(() => client.close());
    await client.handshake();
    client.send(subscribe());
    await client.waitForMessage((m) => m.kind === 'commitAck');
    const doc = new Y.Doc();
    client.send(frames.update(appendText(doc, 'one;')));
    await waitFor(() => acks(client).length === 2, 5000, 'first ack');
    storage.failAppends = true;
    const firstClock = Y.getState(doc.store, doc.clientID);
    client.send(frames.update(appendText(doc, 'two;')));
    await waitFor(() => storage.appendCalls >= 3, 5000, 'failing commits');
    // re-subscribing while the doc holds uncommitted state waits for the commit too
    client.send(subscribe());
    await sleep(100);
    expect(acks(client).map((m) => ackVector(m).get(doc.clientID))).toEqual([
      undefined,
      firstClock,
    ]);
    storage.failAppends = false;
    await waitFor(() => acks(client).length >= 3, 10_000, 'the ack after recovery');
    for (const ack of acks(client).slice(2))
      expect(ackVector(ack).get(doc.clientID)).toBe(Y.getState(doc.store, doc.clientID));
  });

  it('sends nothing new to a stock y-websocket client that does not subscribe', async () => {
    const server = await startServer();
    servers.push(server);
    const docId = await createDoc(server.app);
    const stock = connectProvider(server.wsUrl, docId);
    cleanups.push(() => stock.provider.destroy());
    const types: number[] = [];
    stock.provider.on('status', ({ status }: { status: string }) => {
      if (status !== 'connected') return;
      stock.provider.ws?.addEventListener('message', (event: MessageEvent) => {
        types.push(new Uint8Array(event.data as ArrayBuffer)[0]!);
      });
    });
    // a raw observer that does not subscribe either
    const raw = RawClient.connect(server.wsUrl, docId);
    cleanups.push(() => raw.close());
    await raw.handshake();
    await stock.synced;
    stock.doc.getText('t').insert(0, 'typed by a stock client');
    const subscriber = RawClient.connect(server.wsUrl, docId);
    cleanups.push(() => subscriber.close());
    await subscriber.handshake();
    subscriber.send(subscribe());
    await waitFor(
      () =>
        acks(subscriber).some(
          (m) =>
            ackVector(m).get(stock.doc.clientID) ===
            Y.getState(stock.doc.store, stock.doc.clientID),
        ),
      5000,
      'the commit of the stock edit',
    );
    await waitFor(
      () => raw.toDoc().getText('t').toJSON() === 'typed by a stock client',
      5000,
      'the echo',
    );
    expect(raw.messages.filter((m) => m.kind === 'commitAck')).toHaveLength(0);
    expect(types.length).toBeGreaterThan(0);
    expect(types).not.toContain(MessageType.CommitAck);
    expect(stock.provider.wsconnected).toBe(true);
  });
});
