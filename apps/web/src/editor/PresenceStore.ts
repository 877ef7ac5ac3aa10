import type { Awareness } from 'y-protocols/awareness';
import { toSafeColor, toSafeName, type Identity } from '../lib/identity.ts';

/**
 * Who else is in the document and which field each one is in, from Yjs awareness. Remote
 * states are untrusted: names and colours go through `toSafeName` / `toSafeColor` (R29) and
 * are only ever rendered as text or a validated CSS colour.
 */

export interface Peer {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  /** Key of the field the peer is in (`fieldKey(path)`), or null. */
  readonly field: string | null;
}

/** The awareness state this app publishes. */
interface LocalState {
  user: Identity;
  field: string | null;
}

const NOBODY: readonly Peer[] = Object.freeze([]);
const MAX_FIELD_KEY = 400;

/** The presence key of a model path, e.g. `sections/components/blocks/cards/cards/ab12/title`. */
export const fieldKey = (path: readonly string[]): string => path.join('/');

export class PresenceStore {
  private peers: readonly Peer[] = NOBODY;
  private byField = new Map<string, readonly Peer[]>();
  private readonly listeners = new Set<() => void>();
  private readonly handleChange = () => this.recompute();

  constructor(
    private readonly awareness: Awareness,
    identity: Identity,
  ) {
    const state: LocalState = { user: identity, field: null };
    awareness.setLocalState(state);
    awareness.on('change', this.handleChange);
  }

  private recompute(): void {
    const peers: Peer[] = [];
    for (const [clientId, raw] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID) continue;
      const state = (typeof raw === 'object' && raw !== null ? raw : {}) as {
        user?: unknown;
        field?: unknown;
      };
      const user = (typeof state.user === 'object' && state.user !== null ? state.user : {}) as {
        name?: unknown;
        color?: unknown;
      };
      const field =
        typeof state.field === 'string' && state.field.length <= MAX_FIELD_KEY ? state.field : null;
      peers.push({
        clientId,
        name: toSafeName(user.name),
        color: toSafeColor(user.color, clientId),
        field,
      });
    }
    peers.sort((a, b) => a.clientId - b.clientId);
    const byField = new Map<string, Peer[]>();
    for (const peer of peers) {
      if (peer.field === null) continue;
      const list = byField.get(peer.field) ?? [];
      list.push(peer);
      byField.set(peer.field, list);
    }
    // keep the previous array of a field whose peers did not change, so subscribers bail out
    const next = new Map<string, readonly Peer[]>();
    for (const [key, list] of byField) {
      const previous = this.byField.get(key);
      next.set(key, previous !== undefined && samePeers(previous, list) ? previous : list);
    }
    const peersChanged = !samePeers(this.peers, peers);
    const fieldsChanged =
      next.size !== this.byField.size ||
      [...next].some(([key, list]) => this.byField.get(key) !== list);
    if (!peersChanged && !fieldsChanged) return;
    if (peersChanged) this.peers = peers.length === 0 ? NOBODY : peers;
    this.byField = next;
    for (const listener of this.listeners) listener();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getPeers = (): readonly Peer[] => this.peers;

  readonly peersIn = (key: string): readonly Peer[] => this.byField.get(key) ?? NOBODY;

  /** Publishes which field this person is in (null when none). */
  setField(key: string | null): void {
    const current = this.awareness.getLocalState() as LocalState | null;
    if (current === null || current.field === key) return;
    this.awareness.setLocalStateField('field', key);
  }

  setIdentity(identity: Identity): void {
    this.awareness.setLocalStateField('user', identity);
  }

  leave(): void {
    this.awareness.setLocalState(null);
  }

  destroy(): void {
    this.awareness.off('change', this.handleChange);
    this.listeners.clear();
  }
}

function samePeers(a: readonly Peer[], b: readonly Peer[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return (
        q !== undefined &&
        p.clientId === q.clientId &&
        p.name === q.name &&
        p.color === q.color &&
        p.field === q.field
      );
    })
  );
}
