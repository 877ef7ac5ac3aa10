import { encodeSubscribeCommits } from '@syspat/protocol';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { RawClient, carriesUpdate, decodeServerMessage, frames } from '../support.ts';

/**
 * A raw protocol client straight to the server (no proxy, no faults) that only listens. Under the
 * default durability rule (FANOUT_ORDER=commit-first) everything it receives (the first
 * SyncStep2, then every broadcast) is committed, so what it holds when the server is killed must
 * all be in the reloaded document. Under send-first it also receives uncommitted updates, so it
 * subscribes to commit acks and only the acknowledged state vector must survive.
 */
export class Observer {
  readonly doc = new Y.Doc();
  private client: RawClient | undefined;
  connections = 0;
  /** The highest committed state vector the server acknowledged (type-100 messages). */
  readonly acked = new Map<number, number>();

  /** Connects (again) and resolves once the server's SyncStep2 arrived. */
  async connect(wsUrl: string, docId: string): Promise<void> {
    this.close();
    const client = RawClient.connect(wsUrl, docId, { handshakeTimeout: 10_000 });
    this.client = client;
    this.connections += 1;
    client.ws.on('message', (data: Buffer) => {
      if (this.client !== client) return;
      const message = decodeServerMessage(new Uint8Array(data));
      if (carriesUpdate(message)) Y.applyUpdate(this.doc, message.payload);
      if (message.kind === 'commitAck') {
        const vector = Y.decodeStateVector(message.payload);
        for (const [id, clock] of vector) {
          if (clock > (this.acked.get(id) ?? 0)) this.acked.set(id, clock);
        }
      }
    });
    await client.opened;
    client.send(encodeSubscribeCommits());
    // our own state vector: after a restart only what is missing comes back
    client.send(frames.syncStep1(Y.encodeStateVector(this.doc)));
    await client.waitForMessage((m) => m.kind === 'syncStep2', 10_000);
  }

  get connected(): boolean {
    return this.client?.ws.readyState === WebSocket.OPEN;
  }

  /** Everything received so far, as one update. */
  received(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  close(): void {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) client.ws.terminate();
  }
}

/** What of an acknowledged state vector a document lacks: undefined when it holds all of it. */
export function behindVector(doc: Y.Doc, acked: ReadonlyMap<number, number>): string | undefined {
  const had = Y.decodeStateVector(Y.encodeStateVector(doc));
  const lost: string[] = [];
  for (const [client, clock] of acked) {
    const kept = had.get(client) ?? 0;
    if (kept < clock) lost.push(`client ${client}: clock ${kept} < acknowledged ${clock}`);
  }
  return lost.length > 0 ? lost.join('; ') : undefined;
}

/**
 * What of `acked` a document lacks: undefined when `doc` holds all of it (every struct and every
 * deletion), else a description. Checked by applying `acked` to a copy: the copy's state vector
 * and delete set must not move.
 */
export function missingFrom(doc: Y.Doc, acked: Uint8Array): string | undefined {
  const before = Y.encodeSnapshot(Y.snapshot(doc));
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  Y.applyUpdate(copy, acked);
  const after = Y.encodeSnapshot(Y.snapshot(copy));
  if (Buffer.from(before).equals(Buffer.from(after))) return undefined;
  const had = Y.decodeStateVector(Y.encodeStateVector(doc));
  const lost: string[] = [];
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(acked))) {
    const kept = had.get(client) ?? 0;
    if (kept < clock) lost.push(`client ${client}: clock ${kept} < ${clock}`);
  }
  return lost.length > 0 ? lost.join('; ') : 'deletions acknowledged but not stored';
}
