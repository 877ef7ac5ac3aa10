import type { Awareness } from 'y-protocols/awareness';
import { MAX_FIELD_KEY, parseCaret, sameJSON, type CaretJSON } from '../lib/caretPosition.ts';
import { toSafeColor, toSafeName, type Identity } from '../lib/identity.ts';

/**
 * Who else is in the document, which field each one is in and where their caret is, from Yjs
 * awareness. Remote states are untrusted: names and colours go through `toSafeName` /
 * `toSafeColor` (R29) and are only ever rendered as text or a validated CSS colour; carets go
 * through `parseCaret` (shape and size) and are dropped when they do not match the field.
 */

export interface Peer {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  /** Key of the field the peer is in (`fieldKey(path)`), or null. */
  readonly field: string | null;
}

/** Another person's selection in a field (relative positions; see `resolveCaret`). */
export interface PeerCaret {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  readonly caret: CaretJSON;
}

/** The awareness state this app publishes. */
interface LocalState {
  user: Identity;
  field: string | null;
  /** The selection in `field`, when the field has a Y.Text. */
  caret: CaretJSON | null;
}

const NOBODY: readonly Peer[] = Object.freeze([]);
const NO_CARETS: readonly PeerCaret[] = Object.freeze([]);

/** The presence key of a model path, e.g. `sections/components/blocks/cards/cards/ab12/title`. */
export const fieldKey = (path: readonly string[]): string => path.join('/');

export class PresenceStore {
  private peers: readonly Peer[] = NOBODY;
  private byField = new Map<string, readonly Peer[]>();
  private caretsByField = new Map<string, readonly PeerCaret[]>();
  private readonly listeners = new Set<() => void>();
  private readonly handleChange = () => this.recompute();

  constructor(
    private readonly awareness: Awareness,
    identity: Identity,
  ) {
    const state: LocalState = { user: identity, field: null, caret: null };
    awareness.setLocalState(state);
    awareness.on('change', this.handleChange);
  }

  private recompute(): void {
    const peers: Peer[] = [];
    const carets: PeerCaret[] = [];
    for (const [clientId, raw] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID) continue;
      const state = (typeof raw === 'object' && raw !== null ? raw : {}) as {
        user?: unknown;
        field?: unknown;
        caret?: unknown;
      };
      const user = (typeof state.user === 'object' && state.user !== null ? state.user : {}) as {
        name?: unknown;
        color?: unknown;
      };
      const field =
        typeof state.field === 'string' && state.field.length <= MAX_FIELD_KEY ? state.field : null;
      const peer: Peer = {
        clientId,
        name: toSafeName(user.name),
        color: toSafeColor(user.color, clientId),
        field,
      };
      peers.push(peer);
      const caret = field === null ? null : parseCaret(state.caret);
      if (caret !== null && caret.field === field) {
        carets.push({ clientId, name: peer.name, color: peer.color, caret });
      }
    }
    peers.sort((a, b) => a.clientId - b.clientId);
    carets.sort((a, b) => a.clientId - b.clientId);
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
    const caretsByField = new Map<string, PeerCaret[]>();
    for (const caret of carets) {
      const list = caretsByField.get(caret.caret.field) ?? [];
      list.push(caret);
      caretsByField.set(caret.caret.field, list);
    }
    const nextCarets = new Map<string, readonly PeerCaret[]>();
    for (const [key, list] of caretsByField) {
      const previous = this.caretsByField.get(key);
      nextCarets.set(key, previous !== undefined && sameCarets(previous, list) ? previous : list);
    }
    const peersChanged = !samePeers(this.peers, peers);
    const fieldsChanged = changedLists(this.byField, next);
    const caretsChanged = changedLists(this.caretsByField, nextCarets);
    if (!peersChanged && !fieldsChanged && !caretsChanged) return;
    if (peersChanged) this.peers = peers.length === 0 ? NOBODY : peers;
    this.byField = next;
    this.caretsByField = nextCarets;
    for (const listener of this.listeners) listener();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getPeers = (): readonly Peer[] => this.peers;

  readonly peersIn = (key: string): readonly Peer[] => this.byField.get(key) ?? NOBODY;

  /** Other people's carets in the field with this key (the same array while they do not move). */
  readonly caretsIn = (key: string): readonly PeerCaret[] =>
    this.caretsByField.get(key) ?? NO_CARETS;

  /** Publishes which field this person is in (null when none); leaving a field drops its caret. */
  setField(key: string | null): void {
    const current = this.awareness.getLocalState() as LocalState | null;
    if (current === null || current.field === key) return;
    this.awareness.setLocalState({ ...current, field: key, caret: null });
  }

  /** Publishes this person's selection (and so the field it is in), in one awareness update. */
  setCaret(caret: CaretJSON): void {
    const current = this.awareness.getLocalState() as LocalState | null;
    if (current === null) return;
    const previous = current.caret ?? null;
    if (
      current.field === caret.field &&
      previous !== null &&
      previous.field === caret.field &&
      sameJSON(previous.anchor, caret.anchor) &&
      sameJSON(previous.head, caret.head)
    )
      return;
    this.awareness.setLocalState({ ...current, field: caret.field, caret });
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

function changedLists<T>(
  before: ReadonlyMap<string, readonly T[]>,
  after: ReadonlyMap<string, readonly T[]>,
): boolean {
  return before.size !== after.size || [...after].some(([key, list]) => before.get(key) !== list);
}

function sameCarets(a: readonly PeerCaret[], b: readonly PeerCaret[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return (
        q !== undefined &&
        p.clientId === q.clientId &&
        p.name === q.name &&
        p.color === q.color &&
        p.caret.field === q.caret.field &&
        sameJSON(p.caret.anchor, q.caret.anchor) &&
        sameJSON(p.caret.head, q.caret.head)
      );
    })
  );
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
