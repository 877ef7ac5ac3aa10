import * as decoding from 'lib0/decoding';
import { MessageType, SyncMessageType } from './messages.ts';
import { readBoundedBytes } from './readBoundedBytes.ts';

/** A message the collaboration server sends, as a client reads it. */
export type ServerMessage =
  | { readonly kind: 'syncStep1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'syncStep2'; readonly update: Uint8Array }
  | { readonly kind: 'update'; readonly update: Uint8Array }
  | { readonly kind: 'awareness'; readonly update: Uint8Array }
  | { readonly kind: 'queryAwareness' }
  /** The document's committed state vector (encoded; `Y.decodeStateVector` reads it). */
  | { readonly kind: 'commitAck'; readonly stateVector: Uint8Array }
  /** A well-formed frame of a type or sync sub-type this protocol does not define. */
  | { readonly kind: 'unknown'; readonly type: number }
  | { readonly kind: 'malformed'; readonly reason: string };

/**
 * Decodes one whole message from the server (its first byte is the message type). Never
 * throws: a truncated message or a length past the end is `malformed`. Payloads are views into
 * `data`, not copies. Only the framing is checked: a client hands the payload to Yjs or
 * y-protocols, which read it.
 */
export function decodeServerMessage(data: Uint8Array): ServerMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    const payload = (): Uint8Array => {
      const bytes = readBoundedBytes(decoder);
      if (bytes === undefined) throw new RangeError('length past the end');
      return bytes;
    };
    switch (type) {
      case MessageType.Sync: {
        const sub = decoding.readVarUint(decoder);
        if (sub === SyncMessageType.Step1) return { kind: 'syncStep1', stateVector: payload() };
        if (sub === SyncMessageType.Step2) return { kind: 'syncStep2', update: payload() };
        if (sub === SyncMessageType.Update) return { kind: 'update', update: payload() };
        return { kind: 'unknown', type };
      }
      case MessageType.Awareness:
        return { kind: 'awareness', update: payload() };
      case MessageType.QueryAwareness:
        return { kind: 'queryAwareness' };
      case MessageType.CommitAck:
        return { kind: 'commitAck', stateVector: payload() };
      default:
        return { kind: 'unknown', type };
    }
  } catch (err) {
    return { kind: 'malformed', reason: err instanceof RangeError ? err.message : 'truncated' };
  }
}
