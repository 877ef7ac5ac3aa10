import { encodeSubscribeCommits } from '@syspat/protocol';
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

/**
 * FANOUT_ORDER: commit-first (default) sends an update to nobody before it is committed;
 * send-first sends it to the other clients at once and acknowledges it to its author (echo,
 * commit ack) only after the commit.
 */

const carries = (text: string) => (m: ReceivedMessage) =>
  m.kind === 'update' && Buffer.from(m.raw).includes(text);

async function twoClientsWhileStorageFails(fanoutOrder: string) {
  const env = buildTestEnv({ FANOUT_ORDER: fanoutOrder });
  const storage = new FailingStorage(env.DATA_DIR!);
  const server = await startServer(env, { storage });
  const docId = await createDoc(server.app);
  const author = RawClient.connect(server.wsUrl, docId);
  const reader = RawClient.connect(server.wsUrl, docId);
  await Promise.all([author.handshake(), reader.handshake()]);
  author.send(encodeSubscribeCommits());
  await author.waitForMessage((m) => m.kind === 'commitAck');
  storage.failAppends = true;
  author.send(frames.update(appendText(new Y.Doc(), 'typed while the disk is full')));
  await waitFor(() => storage.appendCalls >= 2, 5000, 'a failed commit and its retry');
  return { server, storage, author, reader };
}

describe('fan-out order', () => {
  const servers: TestServer[] = [];
  const children: ChildServer[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    for (const s of servers.splice(0)) await s.close();
  });

  it('commit-first: nobody receives an edit that is not committed', async () => {
    const { server, storage, author, reader } = await twoClientsWhileStorageFails('commit-first');
    servers.push(server);
    await sleep(100);
    expect(reader.messages.some(carries('typed while the disk is full'))).toBe(false);
    expect(author.messages.some(carries('typed while the disk is full'))).toBe(false);
    storage.failAppends = false;
    await reader.waitForMessage(carries('typed while the disk is full'), 10_000);
    await author.waitForMessage(carries('typed while the disk is full'), 10_000);
  });

  it('send-first: others receive an edit at once; its author hears of it only once committed', async () => {
    const { server, storage, author, reader } = await twoClientsWhileStorageFails('send-first');
    servers.push(server);
    await reader.waitForMessage(carries('typed while the disk is full'));
    await sleep(100);
    // no echo and no commit ack while the commit keeps failing
    expect(author.messages.some(carries('typed while the disk is full'))).toBe(false);
    const acksBefore = author.messages.filter((m) => m.kind === 'commitAck').length;
    expect(acksBefore).toBe(1);
    storage.failAppends = false;
    await author.waitForMessage(carries('typed while the disk is full'), 10_000);
    await waitFor(
      () => author.messages.filter((m) => m.kind === 'commitAck').length > acksBefore,
      5000,
      'the commit ack',
    );
    // the reader got the edit once, not again with the author's echo
    expect(reader.messages.filter(carries('typed while the disk is full'))).toHaveLength(1);
  });

  it('send-first: an edit others saw before a kill -9 comes back from them after the restart', async () => {
    const env = buildTestEnv({ FANOUT_ORDER: 'send-first', UNLOAD_DELAY_MS: '60000' });
    const first = await startChildServer(env);
    children.push(first);
    const docId = await createDocHttp(first.url);
    const writer = connectProvider(first.wsUrl, docId);
    const observer = connectProvider(first.wsUrl, docId);
    await Promise.all([writer.synced, observer.synced]);
    let i = 0;
    const writing = setInterval(
      () => writer.doc.getText('t').insert(writer.doc.getText('t').length, `[w${i++}]`),
      2,
    );
    await waitFor(() => observer.doc.getText('t').length > 300, 20_000, 'edits to arrive');
    first.child.kill('SIGKILL');
    clearInterval(writing);
    await first.exited;
    const seen =
      observer.doc
        .getText('t')
        .toJSON()
        .match(/\[w\d+\]/g) ?? [];
    // the writer is gone for good: only the observer's copy can bring its last edits back
    writer.provider.destroy();

    const second = await startChildServer({ ...env, PORT: String(first.port) });
    children.push(second);
    const reader = RawClient.connect(second.wsUrl, docId);
    await reader.handshake();
    await waitFor(
      () => {
        const text = reader.toDoc().getText('t').toJSON();
        return seen.every((marker) => text.includes(marker));
      },
      20_000,
      'the observer to resync what it saw',
    );
    observer.provider.destroy();
    reader.close();
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
