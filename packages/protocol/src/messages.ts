import * as encoding from 'lib0/encoding';

/**
 * The y-websocket wire protocol (y-protocols sync + awareness): the first varUint of a message is
 * its type; sync messages carry a sub-type and a varUint8Array payload.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /**
   * syspat extension, opt-in. A client sends exactly `[100]` to subscribe (with a payload it is an
   * unknown message: 1003); the server then sends `[100, varUint8Array(stateVector)]` once right
   * away (after committing whatever the document holds) and after every commit that touched the
   * document. The state vector is the document as committed (on disk), never uncommitted
   * updates. Clients that never subscribe never receive it (stock clients log an error on
   * unknown message types).
   */
  CommitAck: 100,
} as const;
export type MessageTypeValue = (typeof MessageType)[keyof typeof MessageType];

export const SyncMessageType = { Step1: 0, Step2: 1, Update: 2 } as const;
export type SyncMessageTypeValue = (typeof SyncMessageType)[keyof typeof SyncMessageType];

/** One client's entry in an awareness update: its clock and its state (JSON text, "null" to leave). */
export interface AwarenessEntry {
  readonly client: number;
  readonly clock: number;
  readonly state: string;
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const sync = (sub: SyncMessageTypeValue, payload: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, sub);
    encoding.writeVarUint8Array(e, payload);
  });

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array =>
  sync(SyncMessageType.Step1, stateVector);

export const encodeSyncStep2 = (update: Uint8Array): Uint8Array =>
  sync(SyncMessageType.Step2, update);

export const encodeUpdate = (update: Uint8Array): Uint8Array =>
  sync(SyncMessageType.Update, update);

export const encodeAwareness = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeQueryAwareness = (): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.QueryAwareness);
  });

/** The commit acknowledgement: the committed state vector of the document. */
export const encodeCommitAck = (stateVector: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.CommitAck);
    encoding.writeVarUint8Array(e, stateVector);
  });

/** What a client sends to receive commit acknowledgements: exactly `[100]`. */
export const encodeSubscribeCommits = (): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.CommitAck);
  });

/** An awareness update made of `entries` (the payload y-protocols reads, not a whole message). */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.client);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, entry.state);
    }
  });
}
