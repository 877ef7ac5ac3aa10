import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../src/index.ts';
import {
  RawClient,
  type ReceivedMessage,
  type TestServer,
  assertOtherRoomsWork,
  clientFrame,
  createDoc,
  frames,
  maxLoopDelayDuring,
  rawTcp,
  serverCloseCode,
  sleep,
  startServer,
  upgradeRequest,
  waitFor,
} from './support.ts';

/**
 * Hostile and malformed input (reliability.md R1–R11). Each case asserts the offending
 * connection is closed with the documented code, the document is untouched, the process and
 * other rooms keep working, and the event loop never stalls for 200 ms.
 */
describe('bad input never crashes the server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ WS_MAX_MESSAGE_BYTES: String(1024 * 1024) });
  });
  afterAll(async () => {
    await server.close();
  });

  /** The stored state of a document: its update count and state vector. */
  async function storedState(docId: string) {
    const stored = await server.app.storage.loadDoc(docId);
    const doc = new Y.Doc();
    if (stored?.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored?.updates ?? []) Y.applyUpdate(doc, u);
    return { rows: stored?.updates.length ?? -1, stateVector: Y.encodeStateVector(doc) };
  }

  /** Opens a socket to a fresh document, runs `attack`, checks the close code and the aftermath. */
  async function expectRejected(
    attack: (client: RawClient) => void,
    expectedCodes: readonly number[],
  ) {
    const docId = await createDoc(server.app);
    const observer = RawClient.connect(server.wsUrl, docId);
    await observer.handshake();
    const before = await storedState(docId);
    const client = RawClient.connect(server.wsUrl, docId);
    let code = 0;
    const lag = await maxLoopDelayDuring(async () => {
      await client.opened;
      attack(client);
      code = await client.closed;
    });
    expect(expectedCodes).toContain(code);
    expect(lag).toBeLessThan(200);
    await sleep(20);
    // nothing broadcast to the other client, nothing persisted
    expect(observer.messages.filter((m) => m.kind === 'update')).toHaveLength(0);
    expect(await storedState(docId)).toEqual(before);
    observer.close();
    await assertOtherRoomsWork(server);
  }

  it('closes on text frames without crashing, creating no document (R1)', async () => {
    await expectRejected(
      (c) => {
        c.send('..`');
        c.send('4294967296');
      },
      [CloseCode.UnsupportedData],
    );
    // a text frame to an id that does not exist creates nothing
    const ghost = RawClient.connect(server.wsUrl, 'ghostDocument');
    await ghost.opened.catch(() => undefined);
    ghost.send('4294967297');
    expect([CloseCode.UnsupportedData, CloseCode.DocumentNotFound]).toContain(await ghost.closed);
    expect(await server.app.storage.getDocMeta('ghostDocument')).toBeUndefined();
  });

  it('closes on truncated and over-long lengths (R2)', async () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 1_000_000_000);
    encoding.writeUint8Array(e, new Uint8Array([1, 2, 3]));
    await expectRejected((c) => c.send(encoding.toUint8Array(e)), [CloseCode.InvalidPayload]);
    // a varUint cut in the middle
    await expectRejected(
      (c) => c.send(new Uint8Array([0x80, 0x80, 0x80])),
      [CloseCode.InvalidPayload],
    );
    await expectRejected(
      (c) => c.send(new Uint8Array([0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
      [CloseCode.InvalidPayload],
    );
  });

  it('closes at once on an empty frame and on an empty update payload (R3)', async () => {
    await expectRejected((c) => c.send(new Uint8Array()), [CloseCode.InvalidPayload]);
    await expectRejected(
      (c) => c.send(frames.update(new Uint8Array())),
      [CloseCode.InvalidPayload],
    );
    await expectRejected(
      (c) => c.send(frames.syncStep2(new Uint8Array())),
      [CloseCode.InvalidPayload],
    );
  });

  it('rejects garbage update payloads (R4)', async () => {
    await expectRejected(
      (c) => c.send(frames.update(Buffer.from('garbagedoc', 'base64'))),
      [CloseCode.InvalidPayload],
    );
    await expectRejected(
      (c) => c.send(frames.update(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))),
      [CloseCode.InvalidPayload],
    );
  });

  it('survives random bytes on many connections, other rooms unaffected (R4)', async () => {
    const docId = await createDoc(server.app);
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const lag = await maxLoopDelayDuring(async () => {
      for (let round = 0; round < 10; round++) {
        const clients = Array.from({ length: 10 }, () => RawClient.connect(server.wsUrl, docId));
        await Promise.all(clients.map((c) => c.opened));
        for (const c of clients) {
          const bytes = new Uint8Array(1 + Math.floor(random() * 64));
          for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
          c.send(bytes);
        }
        await sleep(30);
        for (const c of clients) c.close();
        await Promise.all(clients.map((c) => c.closed));
      }
    });
    expect(lag).toBeLessThan(200);
    await assertOtherRoomsWork(server);
  });

  it('rejects the yjs limit vectors without hanging or eating memory (R5)', async () => {
    const vectors = [
      [
        0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 2, 0, 0, 22, 2, 0, 0, 1, 253, 255, 255, 255, 255, 127, 0,
        0,
      ],
      [
        228, 156, 16, 0, 5, 255, 255, 5, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 237, 0, 0, 0, 1, 1, 0, 254,
        184, 194, 233, 173, 135, 217, 18, 0, 0, 1, 1, 255, 237, 246,
      ],
      [
        228, 149, 0, 0, 1, 24, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 237, 1, 190, 130, 227, 195, 28, 1, 2,
        228, 149, 0, 0, 1, 24, 0, 0, 1, 24, 0, 0, 1, 0, 1, 237, 0,
      ],
      [
        143, 1, 128, 0, 0, 0, 1, 170, 1, 0, 1, 2, 0, 0, 22, 2, 0, 229, 196, 67, 20, 231, 166, 139,
        147, 174, 181, 253, 93, 232, 38, 154, 138, 89, 0, 49, 213, 15, 18, 1, 48, 0, 0, 0,
      ],
      [
        0, 1, 35, 0, 0, 0, 1, 2, 129, 0, 0, 16, 0, 199, 220, 0, 196, 122, 128, 0, 65, 171, 234, 214,
        0, 1, 0, 0, 1, 0, 0, 132, 0, 0, 16, 255, 199, 220, 255, 0, 0, 0,
      ],
    ].map((v) => new Uint8Array(v));
    const docId = await createDoc(server.app);
    const heapBefore = process.memoryUsage().heapUsed;
    const lag = await maxLoopDelayDuring(async () => {
      for (const vector of vectors) {
        for (const frame of [frames.update(vector), frames.syncStep2(vector)]) {
          const client = RawClient.connect(server.wsUrl, docId);
          await client.handshake();
          client.send(frame);
          // either closed as malformed, or ignored (a well-formed update whose parts never integrate)
          await Promise.race([client.closed, sleep(100)]);
          if (client.closeCode !== undefined)
            expect(client.closeCode).toBe(CloseCode.InvalidPayload);
          client.close();
          await client.closed;
        }
      }
    });
    expect(lag).toBeLessThan(200);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
    // nothing of them was stored
    expect((await server.app.storage.loadDoc(docId))?.updates).toHaveLength(0);
    await assertOtherRoomsWork(server);
  });

  it('rejects a state vector that declares 2^32 clients without allocating (R6)', async () => {
    const sv = encoding.createEncoder();
    encoding.writeVarUint(sv, 2 ** 32);
    const heapBefore = process.memoryUsage().heapUsed;
    await expectRejected(
      (c) => c.send(frames.syncStep1(encoding.toUint8Array(sv))),
      [CloseCode.InvalidPayload],
    );
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
  });

  it('answers a large but well-formed state vector normally (R6)', async () => {
    const docId = await createDoc(server.app);
    const sv = encoding.createEncoder();
    encoding.writeVarUint(sv, 50_000);
    for (let i = 0; i < 50_000; i++) {
      encoding.writeVarUint(sv, i + 1);
      encoding.writeVarUint(sv, 1_000_000);
    }
    const client = RawClient.connect(server.wsUrl, docId);
    await client.opened;
    const lag = await maxLoopDelayDuring(async () => {
      client.send(frames.syncStep1(encoding.toUint8Array(sv)));
      await client.waitForMessage((m) => m.kind === 'syncStep2');
    });
    expect(lag).toBeLessThan(200);
    client.close();
  });

  it('closes 1002 on an invalid opcode, RSV bits or an unmasked frame, with an error listener (R7)', async () => {
    const docId = await createDoc(server.app);
    const attacks = [
      Buffer.from([0x00, 0x00]), // unmasked continuation frame with nothing to continue
      clientFrame(0x80 | 0x03, Buffer.from([1])), // reserved opcode 3
      clientFrame(0x80 | 0x20 | 0x10 | 0x02, Buffer.from([0, 0])), // RSV2 + RSV3 on a binary frame
    ];
    for (const attack of attacks) {
      const response = await rawTcp(server.port, upgradeRequest(`/collab/${docId}`), {
        after: (socket, received) => {
          const waitFor101 = setInterval(() => {
            if (received().includes('101 Switching Protocols')) {
              clearInterval(waitFor101);
              socket.write(attack);
            }
          }, 2);
        },
      });
      expect(response.toString('latin1')).toContain('101 Switching Protocols');
      expect(serverCloseCode(response)).toBe(CloseCode.ProtocolError);
    }
    // invalid UTF-8 in a text frame: ws closes it with 1007
    const response = await rawTcp(server.port, upgradeRequest(`/collab/${docId}`), {
      after: (socket, received) => {
        const waitFor101 = setInterval(() => {
          if (received().includes('101 Switching Protocols')) {
            clearInterval(waitFor101);
            socket.write(clientFrame(0x81, Buffer.from([0xce, 0xba, 0xe1, 0xbd])));
          }
        }, 2);
      },
    });
    expect([CloseCode.ProtocolError, CloseCode.InvalidPayload]).toContain(
      serverCloseCode(response),
    );
    await assertOtherRoomsWork(server);
  });

  it('closes 1009 on a message one byte over the limit (R8)', async () => {
    const limit = server.app.config.limits.wsMaxMessageBytes;
    await expectRejected((c) => c.send(new Uint8Array(limit + 1)), [CloseCode.MessageTooBig]);
  });

  it('survives an upgrade request with 2000 distinct headers (R9)', async () => {
    const docId = await createDoc(server.app);
    const headers = Array.from({ length: 2000 }, (_, i) => `X-Flood-${i}: ${i}\r\n`).join('');
    const response = (
      await rawTcp(server.port, upgradeRequest(`/collab/${docId}`, headers))
    ).toString('latin1');
    // refused by the HTTP parser (431/400) or cleanly closed
    expect(response === '' || /^HTTP\/1\.1 (400|431)/.test(response)).toBe(true);
    await assertOtherRoomsWork(server);
  });

  it('refuses bad document names with 400 before the upgrade (R10)', async () => {
    const names = [
      '..',
      '../etc',
      '%2e%2e%2f',
      '%2e%2e',
      '..%5C..%5C',
      'a/../../b',
      '%00',
      'a%00b',
      'a'.repeat(10_000),
      'a'.repeat(65),
      '%E2%80%AEabc', // RTL override
      '%252e%252e',
      'doc%20id',
      '',
    ];
    for (const name of names) {
      const response = (await rawTcp(server.port, upgradeRequest(`/collab/${name}`))).toString(
        'latin1',
      );
      expect(response.split('\r\n')[0], name.slice(0, 40)).toBe('HTTP/1.1 400 Bad Request');
      expect(response).toContain('"error":"invalid_doc_id"');
      expect(response).not.toContain('101 Switching Protocols');
    }
    // and the REST API, with the raw path (no client-side normalisation)
    for (const name of ['..', '%2e%2e', '..%5C..%5C', 'a%2Fb']) {
      const response = (
        await rawTcp(
          server.port,
          `GET /api/docs/${name} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        )
      ).toString('latin1');
      expect(response.split('\r\n')[0], name).toMatch(/^HTTP\/1\.1 (400|404)/);
      expect(response).not.toContain('"title"');
    }
    await assertOtherRoomsWork(server);
  });

  it('closes on unknown message types and sync sub-types, never broadcasting them (R11)', async () => {
    for (const type of [2, 5, 6, 7, 100]) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, type);
      encoding.writeVarUint8Array(e, new Uint8Array([1, 2, 3]));
      await expectRejected((c) => c.send(encoding.toUint8Array(e)), [CloseCode.UnsupportedData]);
    }
    for (const sub of [3, 4, 100]) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, sub);
      encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(new Y.Doc()));
      await expectRejected((c) => c.send(encoding.toUint8Array(e)), [CloseCode.UnsupportedData]);
    }
  });

  it('rejects awareness that is not JSON or is too big (R12 c, d)', async () => {
    const notJson = encoding.createEncoder();
    encoding.writeVarUint(notJson, 1);
    encoding.writeVarUint(notJson, 7);
    encoding.writeVarUint(notJson, 1);
    encoding.writeVarString(notJson, '{not json');
    await expectRejected(
      (c) => c.send(frames.awareness(encoding.toUint8Array(notJson))),
      [CloseCode.InvalidPayload],
    );
    const big = encoding.createEncoder();
    encoding.writeVarUint(big, 1);
    encoding.writeVarUint(big, 7);
    encoding.writeVarUint(big, 1);
    encoding.writeVarString(big, JSON.stringify({ user: { name: 'x'.repeat(1024 * 1024) } }));
    await expectRejected(
      (c) => c.send(frames.awareness(encoding.toUint8Array(big))),
      [CloseCode.MessageTooBig],
    );
  });

  it('refuses awareness speaking for the client id of another live socket, and takes it once that socket is gone (R12 a)', async () => {
    const presence = (clientId: number, clock: number, name: string) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, JSON.stringify({ user: { name } }));
      return frames.awareness(encoding.toUint8Array(e));
    };
    const docId = await createDoc(server.app);
    const [owner, peer, forger] = [0, 1, 2].map(() => RawClient.connect(server.wsUrl, docId));
    await Promise.all([owner!, peer!, forger!].map((c) => c.handshake()));
    const saw = (name: string) => (m: ReceivedMessage) =>
      m.kind === 'awareness' && Buffer.from(m.raw).includes(name);
    owner!.send(presence(424242, 1, 'Ann'));
    await peer!.waitForMessage(saw('Ann'));

    forger!.send(presence(424242, 2, 'Mallory'));
    expect(await forger!.closed).toBe(CloseCode.TryAgainLater);
    // the owner answers the probe's ping, so it stays; nobody ever saw the forged state
    await sleep(3300);
    expect(owner!.closeCode).toBeUndefined();
    expect(peer!.messages.some(saw('Mallory'))).toBe(false);

    // the same id from a new socket while the old one hangs (a laptop that changed networks)
    (owner!.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const again = RawClient.connect(server.wsUrl, docId);
    await again.handshake();
    again.send(presence(424242, 3, 'Ann on wifi'));
    expect(await again.closed).toBe(CloseCode.TryAgainLater);
    // the old socket misses the probe's pong and is dropped: only the peer is left
    await waitFor(() => server.app.collab.clientsOf(docId) === 1, 6000, 'the hung socket to go');
    const retry = RawClient.connect(server.wsUrl, docId);
    await retry.handshake();
    retry.send(presence(424242, 4, 'Ann on wifi'));
    await peer!.waitForMessage(saw('Ann on wifi'));
    expect(retry.closeCode).toBeUndefined();
    expect(peer!.messages.some(saw('Ann on wifi'))).toBe(true);
    for (const c of [owner!, peer!, retry]) c.close();
  });

  it('applies or rejects each of 300 mutated valid updates, and storage matches memory after (R4)', async () => {
    const docId = await createDoc(server.app);
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    const text = source.getText('fuzz');
    for (let i = 0; i < 30; i++) text.insert(Math.floor(text.length / 2), `chunk ${i} `);
    source.getMap('m').set('k', { nested: [1, 2, 3] });
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let rejections = 0;
    const lag = await maxLoopDelayDuring(async () => {
      let client = RawClient.connect(server.wsUrl, docId);
      await client.handshake();
      for (let i = 0; i < 300; i++) {
        const base = updates[Math.floor(random() * updates.length)]!;
        const mutated = new Uint8Array(base);
        const flips = 1 + Math.floor(random() * 3);
        for (let f = 0; f < flips; f++)
          mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
        const received = client.messages.length;
        client.send(frames.update(mutated));
        // the echo (applied and committed), the close (rejected), or silence (nothing new)
        const until = Date.now() + 25;
        while (
          client.messages.length === received &&
          client.closeCode === undefined &&
          Date.now() < until
        ) {
          await sleep(1);
        }
        if (client.messages.length === received && client.closeCode === undefined) await sleep(5);
        if (client.closeCode !== undefined) {
          expect(client.closeCode).toBe(CloseCode.InvalidPayload);
          rejections += 1;
          client = RawClient.connect(server.wsUrl, docId);
          await client.handshake();
        }
      }
      client.close();
      await client.closed;
    });
    expect(lag).toBeLessThan(200);
    // what the server holds in memory is exactly what it stored
    const fresh = RawClient.connect(server.wsUrl, docId);
    const reply = await fresh.handshake();
    const live = new Y.Doc();
    Y.applyUpdate(live, reply.payload);
    fresh.close();
    const stored = await storedState(docId);
    expect(stored.stateVector).toEqual(Y.encodeStateVector(live));
    // the fuzz exercised both paths
    expect(rejections).toBeGreaterThan(0);
    expect(stored.rows).toBeGreaterThan(0);
    await assertOtherRoomsWork(server);
  });
});
