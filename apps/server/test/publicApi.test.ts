import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  CloseCode,
  CollabServer,
  type CollabSocket,
  DOC_ID_PATTERN,
  SqliteStorage,
  buildApp,
  isPermanentCloseCode,
  loadConfig,
  newDocId,
  parseDocId,
} from '../src/index.ts';
import { createServerMetrics } from '../src/metrics.ts';
import { buildTestEnv, decodeServerMessage, frames, tempDir, waitFor } from './support.ts';

/** A socket that is not `ws`: the sync core only needs this shape. */
class MemorySocket extends EventEmitter implements CollabSocket {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: Uint8Array[] = [];
  closedWith: number | undefined;
  send(data: Uint8Array): void {
    this.sent.push(data);
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.emit('close', code ?? 1005, Buffer.from(''));
  }
  terminate(): void {
    this.close(1006);
  }
  ping(): void {}
  receive(data: Uint8Array): void {
    this.emit('message', Buffer.from(data), true);
  }
}

describe('the public API of @syspat/server', () => {
  it('exports the close codes, with 44xx as the permanent ones', () => {
    expect(CloseCode.ServiceRestart).toBe(1012);
    expect(isPermanentCloseCode(CloseCode.DocumentNotFound)).toBe(true);
    expect(isPermanentCloseCode(CloseCode.TooManyClients)).toBe(false);
    expect(parseDocId(newDocId())).toMatch(DOC_ID_PATTERN);
  });

  it('builds an app from a config without listening', async () => {
    const app = await buildApp(loadConfig(buildTestEnv()));
    expect((await app.inject('/api/health')).statusCode).toBe(200);
    await app.close();
  });

  it('serves the sync protocol over any socket through CollabServer.handleConnection', async () => {
    const dir = tempDir();
    const storage = new SqliteStorage(dir);
    await storage.createDoc(
      { id: 'doc', title: 'Doc', createdAt: 1, updatedAt: 1 },
      Y.encodeStateAsUpdate(new Y.Doc()),
    );
    const collab = new CollabServer({
      storage,
      config: loadConfig(buildTestEnv({ DATA_DIR: dir })),
      log: pino({ level: 'silent' }),
      metrics: createServerMetrics(),
    });
    const socket = new MemorySocket();
    collab.handleConnection(socket, { docId: 'doc', ip: '10.0.0.1' });
    const source = new Y.Doc();
    source.getText('t').insert(0, 'over memory');
    socket.receive(frames.update(Y.encodeStateAsUpdate(source)));
    await waitFor(
      () => socket.sent.some((m) => decodeServerMessage(m).kind === 'update'),
      5000,
      'the echo',
    );
    const stored = await storage.loadDoc('doc');
    expect(stored!.updates).toHaveLength(1);
    await collab.shutdown();
    expect(socket.closedWith).toBe(CloseCode.ServiceRestart);
    await storage.close();
  });
});
