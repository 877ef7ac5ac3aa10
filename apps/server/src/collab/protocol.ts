import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CloseCode, type CloseCodeValue } from './closeCodes.ts';
import { checkUpdate } from './updateGuard.ts';

/**
 * The y-websocket wire protocol (y-protocols sync + awareness): first varUint is the message
 * type; sync messages carry a sub-type and a varUint8Array payload.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /**
   * syspat extension, opt-in. A client sends exactly `[100]` to subscribe (with a payload it is an
   * unknown message: 1003); the server then
   * sends `[100, varUint8Array(stateVector)]` once right away (after committing whatever the
   * document holds) and after every commit that touched the document. The state vector is the
   * document as committed (on disk), never uncommitted updates. Clients that never subscribe
   * never receive it (stock clients log an error on unknown message types).
   */
  CommitAck: 100,
} as const;
export const SyncMessageType = { Step1: 0, Step2: 1, Update: 2 } as const;

export type ClientMessage =
  | { readonly kind: 'syncStep1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'update'; readonly update: Uint8Array; readonly step2: boolean }
  | {
      readonly kind: 'awareness';
      readonly update: Uint8Array;
      /** What the update says, per client id: its clock and its state (JSON text, "null" to leave). */
      readonly entries: readonly AwarenessEntry[];
    }
  | { readonly kind: 'queryAwareness' }
  | { readonly kind: 'subscribeCommits' };

export interface AwarenessEntry {
  readonly client: number;
  readonly clock: number;
  readonly state: string;
}

export interface ProtocolViolation {
  readonly kind: 'violation';
  readonly code: CloseCodeValue;
  readonly reason: string;
}

export interface DecodeLimits {
  /** Largest awareness payload accepted (all states in one message). */
  readonly maxAwarenessBytes: number;
  /** Largest number of client states in one awareness message. */
  readonly maxAwarenessStates: number;
}

const violation = (code: CloseCodeValue, reason: string): ProtocolViolation => ({
  kind: 'violation',
  code,
  reason,
});

/** Reads a varUint that must fit in the remaining bytes (lib0 alone trusts the length). */
function readBoundedBytes(decoder: decoding.Decoder): Uint8Array | undefined {
  const len = decoding.readVarUint(decoder);
  if (len > decoder.arr.length - decoder.pos) return undefined;
  return decoding.readUint8Array(decoder, len);
}

/**
 * Decodes one client message without side effects, or says why the connection must close.
 * Never throws: every malformed input (truncated varUints, lengths past the end, unknown types,
 * state vectors that are not state vectors, non-JSON awareness) becomes a violation.
 */
export function decodeClientMessage(
  data: Uint8Array,
  limits: DecodeLimits,
): ClientMessage | ProtocolViolation {
  if (data.length === 0) return violation(CloseCode.InvalidPayload, 'empty message');
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const sub = decoding.readVarUint(decoder);
        const payload = readBoundedBytes(decoder);
        if (payload === undefined)
          return violation(CloseCode.InvalidPayload, 'sync payload length past the end');
        if (sub === SyncMessageType.Step1) {
          // Decoding checks the shape; a declared count larger than the bytes fails fast.
          Y.decodeStateVector(payload);
          return { kind: 'syncStep1', stateVector: payload };
        }
        if (sub === SyncMessageType.Step2 || sub === SyncMessageType.Update) {
          if (payload.length < 2) return violation(CloseCode.InvalidPayload, 'empty update');
          const problem = checkUpdate(payload);
          if (problem !== undefined)
            return violation(CloseCode.InvalidPayload, `malformed update: ${problem}`);
          return { kind: 'update', update: payload, step2: sub === SyncMessageType.Step2 };
        }
        return violation(CloseCode.UnsupportedData, `unknown sync message type ${sub}`);
      }
      case MessageType.Awareness: {
        const payload = readBoundedBytes(decoder);
        if (payload === undefined)
          return violation(CloseCode.InvalidPayload, 'awareness length past the end');
        if (payload.length > limits.maxAwarenessBytes)
          return violation(CloseCode.MessageTooBig, 'awareness too big');
        const checked = checkAwarenessUpdate(payload, limits.maxAwarenessStates);
        if (typeof checked === 'string') return violation(CloseCode.InvalidPayload, checked);
        return { kind: 'awareness', update: payload, entries: checked };
      }
      case MessageType.QueryAwareness:
        return { kind: 'queryAwareness' };
      case MessageType.CommitAck:
        // exactly `[100]`: anything longer is some other protocol's message (R11 applies)
        if (decoding.hasContent(decoder))
          return violation(CloseCode.UnsupportedData, `unknown message type ${type}`);
        return { kind: 'subscribeCommits' };
      default:
        return violation(CloseCode.UnsupportedData, `unknown message type ${type}`);
    }
  } catch {
    return violation(CloseCode.InvalidPayload, 'malformed message');
  }
}

/**
 * Validates an awareness update: bounded count, and each state is JSON (an object or null).
 * Returns its entries, or why it is refused.
 */
function checkAwarenessUpdate(update: Uint8Array, maxStates: number): AwarenessEntry[] | string {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > maxStates) return `awareness update with ${count} states`;
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const client = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const raw = decoding.readVarString(decoder);
    entries.push({ client, clock, state: raw });
    let state: unknown;
    try {
      state = JSON.parse(raw);
    } catch {
      return 'awareness state is not JSON';
    }
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      return 'awareness state is not an object';
    }
  }
  return entries;
}

/** An awareness update made of `entries` (the wire format y-protocols reads). */
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

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncMessageType.Step1);
    encoding.writeVarUint8Array(e, stateVector);
  });

export const encodeSyncStep2 = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncMessageType.Step2);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeUpdate = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncMessageType.Update);
    encoding.writeVarUint8Array(e, update);
  });

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

export const encodeSubscribeCommits = (): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.CommitAck);
  });
