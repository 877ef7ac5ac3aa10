import { CloseCode, encodeSyncStep2 } from '@syspat/protocol';
import type { Connection } from './Connection.ts';
import type { Room } from './Room.ts';

const MAX_QUEUED_MESSAGES = 1000;

/** SyncStep1 with an empty state vector: a client that has nothing and asks for everything. */
const isFullSyncRequest = (bytes: Uint8Array): boolean =>
  bytes.length === 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 1 && bytes[3] === 0;

/**
 * Keeps a message that arrived before the document loaded, to process in order once it is ready.
 * A client that sends too much meanwhile is closed (1013): it may retry.
 */
export function queueBeforeLoad(
  conn: Connection,
  bytes: Uint8Array,
  maxMessageBytes: number,
): void {
  const queue = (conn.queue ??= []);
  if (queue.length >= MAX_QUEUED_MESSAGES || conn.queueBytes + bytes.length > 4 * maxMessageBytes) {
    conn.reject(CloseCode.TryAgainLater, 'too much sent before the document loaded');
    return;
  }
  queue.push(bytes);
  conn.queueBytes += bytes.length;
}

/** The messages queued before the load, emptied. */
export function takeQueue(conn: Connection): Uint8Array[] {
  const queued = conn.queue ?? [];
  conn.queue = undefined;
  conn.queueBytes = 0;
  return queued;
}

/**
 * A client waiting for a big document that asked for everything (SyncStep1 with an empty state
 * vector, the bytes [0, 0, 1, 0]) gets the stored state as soon as the worker merged it, while
 * the room still applies its slices; the rest of what it sent waits for the room.
 */
export function answerWhileLoading(conn: Connection, room: Room): void {
  const queue = conn.queue;
  const state = room.cache.state;
  if (queue === undefined || state === undefined || !conn.acceptsInput) return;
  const rest = queue.filter((bytes) => !isFullSyncRequest(bytes));
  if (rest.length === queue.length) return;
  conn.queue = rest;
  conn.queueBytes = rest.reduce((n, bytes) => n + bytes.length, 0);
  conn.send(encodeSyncStep2(state));
}
