import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { CloseCode, type CloseCodeValue } from './closeCodes.ts';
import { type AwarenessEntry, MessageType, SyncMessageType } from './messages.ts';
import { readBoundedBytes } from './readBoundedBytes.ts';
import { checkUpdate } from './walkUpdate.ts';

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
