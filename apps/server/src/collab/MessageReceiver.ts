import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Config } from '../config.ts';
import type { ServerMetrics } from '../metrics.ts';
import type { Admission } from './Admission.ts';
import { applyClientUpdate } from './applyClientUpdate.ts';
import {
  CloseCode,
  type ClientMessage,
  decodeClientMessage,
  type DecodeLimits,
  encodeAwarenessEntries,
  encodeCommitAck,
} from '@syspat/protocol';
import type { Connection } from './Connection.ts';
import type { GroupCommit } from './GroupCommit.ts';
import type { Room } from './Room.ts';

const MAX_AWARENESS_STATES = 256;

type AwarenessMessage = Extract<ClientMessage, { kind: 'awareness' }>;

export interface MessageReceiverOptions {
  readonly limits: Config['limits'];
  readonly metrics: ServerMetrics;
  readonly commit: GroupCommit;
  readonly admission: Admission;
}

/**
 * One decoded client message of an admitted connection → its effect: a reply, an update applied
 * to the doc (with the connection's origin), presence, or a close for a violation. Nothing derived
 * from uncommitted state is sent (commit-first): such replies wait for the next group commit.
 */
export class MessageReceiver {
  private readonly decodeLimits: DecodeLimits;

  constructor(private readonly options: MessageReceiverOptions) {
    this.decodeLimits = {
      maxAwarenessBytes: options.limits.wsMaxAwarenessBytes,
      maxAwarenessStates: MAX_AWARENESS_STATES,
    };
  }

  receive(conn: Connection, room: Room, bytes: Uint8Array): void {
    const { commit, metrics, limits } = this.options;
    const message = decodeClientMessage(bytes, this.decodeLimits);
    switch (message.kind) {
      case 'violation':
        conn.reject(message.code, message.reason);
        return;
      case 'syncStep1':
        if (room.hasUncommitted && !commit.sendFirst) {
          room.deferReply(conn, message.stateVector);
          commit.markDirty(room);
        } else {
          replySyncStep2(conn, room, message.stateVector);
        }
        return;
      case 'update': {
        // authorization per message: a read-only connection syncs, but never writes
        if (conn.readOnly) return;
        const limit = limits.maxDocBytes;
        if (room.storedBytes + room.pendingBytes + message.update.length > limit) {
          metrics.rejected.inc(1, { limit: 'doc_size' });
          conn.reject(CloseCode.DocumentTooLarge, `document would exceed ${limit} bytes`);
          return;
        }
        metrics.updatesReceived.inc();
        const result = applyClientUpdate(room.doc, message.update, conn.origin);
        if (!result.ok) conn.reject(CloseCode.InvalidPayload, result.reason);
        return;
      }
      case 'awareness':
        this.receiveAwareness(conn, room, message);
        return;
      case 'queryAwareness': {
        const awareness = room.fullAwareness();
        if (awareness !== undefined) conn.send(awareness);
        return;
      }
      case 'subscribeCommits':
        conn.commitSubscriber = true;
        // The first ack, like a SyncStep2 reply, waits for the commit of what the doc holds.
        if (room.hasUncommitted) {
          room.deferAck(conn);
          commit.markDirty(room);
        } else {
          conn.send(encodeCommitAck(Y.encodeStateVector(room.doc)));
        }
        return;
    }
  }

  /**
   * R12 a: only the socket that announced an awareness id may speak for it. Stock clients echo
   * the states they receive (same clock: y-protocols ignores them), so those entries are dropped
   * quietly; a newer state for another live socket's id is a forgery, or a client whose old
   * socket has not timed out yet (same id after a network change). Both are refused with a
   * transient code and the old socket is probed: once it is gone, the retry takes the id over.
   */
  private receiveAwareness(conn: Connection, room: Room, message: AwarenessMessage): void {
    let update = message.update;
    const foreign = message.entries.filter((entry) => {
      const owner = room.awarenessOwners.get(entry.client);
      return owner !== undefined && owner !== conn;
    });
    if (foreign.length > 0) {
      const forged = foreign.find(
        (entry) => entry.clock > (room.awareness.meta.get(entry.client)?.clock ?? 0),
      );
      if (forged !== undefined) {
        this.options.metrics.rejected.inc(1, { limit: 'awareness_identity' });
        conn.reject(CloseCode.TryAgainLater, 'presence id belongs to another connection');
        const owner = room.awarenessOwners.get(forged.client);
        if (owner !== undefined) this.options.admission.probe(owner);
        return;
      }
      const own = message.entries.filter((entry) => !foreign.includes(entry));
      if (own.length === 0) return;
      update = encodeAwarenessEntries(own);
    }
    try {
      awarenessProtocol.applyAwarenessUpdate(room.awareness, update, conn.origin);
    } catch {
      conn.reject(CloseCode.InvalidPayload, 'malformed awareness update');
    }
  }
}

function replySyncStep2(conn: Connection, room: Room, stateVector: Uint8Array): void {
  let replies: Uint8Array[];
  try {
    replies = room.syncReplyFor(stateVector);
  } catch {
    conn.reject(CloseCode.InvalidPayload, 'bad state vector');
    return;
  }
  for (const reply of replies) conn.send(reply);
}
