import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  type CloseCodeName,
  MessageType,
  closeCodeName,
  encodeSubscribeCommits,
  shouldRetry,
} from '@syspat/protocol';
import { getRoot } from '@syspat/ydoc';
import type { Identity } from '../lib/identity.ts';
import { PresenceStore } from './PresenceStore.ts';
import {
  type DeleteRanges,
  SaveTracker,
  committedVectorOf,
  echoedDeletesOf,
} from './saveTracker.ts';

/**
 * One open document: its Y.Doc, the websocket provider (the server's y-websocket endpoint), an
 * IndexedDB copy for offline work, presence, and this person's undo history. UI state that
 * changes over time (connection, unsaved count, undo availability) is read through
 * `subscribe`/`getState` so React components can use `useSyncExternalStore`.
 */

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

export interface SessionState {
  readonly status: ConnectionStatus;
  /** This person's transactions the server has not committed yet (see `saveTracker.ts`). */
  readonly unsaved: number;
  /** The document content is available (from IndexedDB or the server). */
  readonly loaded: boolean;
  /** The document is known not to exist (closed with DocumentNotFound, or empty after sync). */
  readonly missing: boolean;
  /** Why the server closed the connection for good, for people. */
  readonly closedReason: string | null;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
}

/** Transaction origin of this person's edits: the only origin their undo manager tracks. */
export class LocalOrigin {
  constructor(readonly label: string) {}
}

/** Why the server closed the connection for good, for people (`reason` is the server's text). */
function explainClose(name: CloseCodeName | undefined, reason: string): string {
  switch (name) {
    case 'DocumentNotFound':
      return 'This document was deleted or never existed.';
    case 'DocumentTooLarge':
      return 'This document is larger than the server allows; changes can no longer be saved.';
    default:
      return reason || 'The server closed the connection.';
  }
}

export function collabUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/collab`;
}

export class DocSession {
  readonly ydoc = new Y.Doc();
  /** Edits typed or clicked by this person (undoable). */
  readonly origin = new LocalOrigin('local');
  /** Bookkeeping writes that should not be undone on their own (e.g. creating an empty cell on focus). */
  readonly quietOrigin = new LocalOrigin('quiet');
  readonly undoManager: Y.UndoManager;
  readonly provider: WebsocketProvider;
  readonly persistence: IndexeddbPersistence;
  readonly presence: PresenceStore;

  private state: SessionState = {
    status: 'connecting',
    unsaved: 0,
    loaded: false,
    missing: false,
    closedReason: null,
    canUndo: false,
    canRedo: false,
  };
  private everConnected = false;
  private readonly saves = new SaveTracker();
  private readonly listeners = new Set<() => void>();
  private readonly cleanups: (() => void)[] = [];
  private destroyed = false;

  constructor(
    readonly docId: string,
    identity: Identity,
    serverUrl: string = collabUrl(),
  ) {
    performance.mark('syspat:session');
    this.persistence = new IndexeddbPersistence(`syspat:${docId}`, this.ydoc);
    this.provider = new WebsocketProvider(serverUrl, docId, this.ydoc, {
      connect: navigator.onLine,
      // the server sends its own SyncStep1 on connect; a periodic resync heals a lost message
      resyncInterval: 60_000,
      maxBackoffTime: 5_000,
      shouldReconnect: (event) => shouldRetry(event.code),
    });
    this.presence = new PresenceStore(this.provider.awareness, identity);
    this.undoManager = new Y.UndoManager(getRoot(this.ydoc), {
      trackedOrigins: new Set([this.origin]),
      captureTimeout: 600,
    });

    const handleTransaction = (transaction: Y.Transaction) => {
      if (!transaction.local) return; // remote, IndexedDB and server updates are not this person's
      const client = this.ydoc.clientID;
      const deletes: DeleteRanges = transaction.deleteSet.clients;
      this.saves.recordLocal(
        client,
        transaction.beforeState.get(client) ?? 0,
        transaction.afterState.get(client) ?? 0,
        new Map([...deletes].map(([id, items]) => [id, items.map((i) => ({ ...i }))])),
      );
      this.set({ unsaved: this.saves.pending });
    };
    this.ydoc.on('afterTransaction', handleTransaction);
    this.cleanups.push(() => this.ydoc.off('afterTransaction', handleTransaction));

    // The server's commit acknowledgement: its committed state vector. The provider's decoder
    // holds the whole message (`arr`), read from the start here.
    this.provider.messageHandlers[MessageType.CommitAck] = (_encoder, decoder) => {
      const vector = committedVectorOf(decoder.arr);
      if (vector !== undefined && this.saves.committed(vector))
        this.set({ unsaved: this.saves.pending });
    };
    // Sync messages from the server carry committed state only: a pending delete-only
    // transaction is committed once one of them holds its deletions.
    const handleSync = this.provider.messageHandlers[MessageType.Sync]!;
    this.provider.messageHandlers[MessageType.Sync] = (
      encoder,
      decoder,
      provider,
      emitSynced,
      messageType,
    ) => {
      if (this.saves.awaitsDeletes) {
        const deletes = echoedDeletesOf(decoder.arr);
        if (deletes !== undefined && this.saves.committedDeletes(deletes))
          this.set({ unsaved: this.saves.pending });
      }
      handleSync(encoder, decoder, provider, emitSynced, messageType);
    };

    const handleStatus = () => this.refreshStatus();
    const handleSynced = (synced: boolean) => {
      if (!synced) return;
      if (!this.everConnected) performance.mark('syspat:first-sync');
      this.everConnected = true;
      const empty = getRoot(this.ydoc).size === 0;
      this.set({
        loaded: !empty || this.state.loaded,
        missing: empty && !this.state.loaded,
      });
      // after the sync, on every (re)connect: ask for commit acknowledgements
      const ws = this.provider.ws;
      if (ws !== null && ws.readyState === WebSocket.OPEN) ws.send(encodeSubscribeCommits());
      this.refreshStatus();
    };
    const handleClosed = (event: { code: number; reason: string }) => {
      const name = closeCodeName(event.code);
      const missing = name === 'DocumentNotFound';
      this.set({ closedReason: explainClose(name, event.reason), missing });
      if (missing) void this.persistence.clearData();
      this.refreshStatus();
    };
    this.provider.on('status', handleStatus);
    this.provider.on('sync', handleSynced);
    this.provider.on('closed', handleClosed);
    this.cleanups.push(() => {
      this.provider.off('status', handleStatus);
      this.provider.off('sync', handleSynced);
      this.provider.off('closed', handleClosed);
    });

    void this.persistence.whenSynced.then(() => {
      if (this.destroyed) return;
      if (getRoot(this.ydoc).size > 0) this.set({ loaded: true, missing: false });
    });

    const handleOffline = () => {
      this.provider.disconnect();
      this.refreshStatus();
    };
    const handleOnline = () => {
      if (this.state.closedReason === null) this.provider.connect();
      this.refreshStatus();
    };
    window.addEventListener('offline', handleOffline);
    window.addEventListener('online', handleOnline);
    this.cleanups.push(() => {
      window.removeEventListener('offline', handleOffline);
      window.removeEventListener('online', handleOnline);
    });

    const handleStack = () =>
      this.set({
        canUndo: this.undoManager.undoStack.length > 0,
        canRedo: this.undoManager.redoStack.length > 0,
      });
    this.undoManager.on('stack-item-added', handleStack);
    this.undoManager.on('stack-item-popped', handleStack);
    this.undoManager.on('stack-cleared', handleStack);

    const handleUnload = () => this.presence.leave();
    window.addEventListener('pagehide', handleUnload);
    this.cleanups.push(() => window.removeEventListener('pagehide', handleUnload));
  }

  /** Connected and synced: local changes reach the server as they are made. */
  private isLive(): boolean {
    return this.provider.wsconnected && this.provider.synced;
  }

  private refreshStatus(): void {
    let status: ConnectionStatus;
    if (this.state.closedReason !== null) status = 'closed';
    else if (!navigator.onLine || !this.provider.shouldConnect) status = 'offline';
    else if (this.isLive()) status = 'connected';
    else status = this.everConnected ? 'reconnecting' : 'connecting';
    this.set({ status });
  }

  private set(patch: Partial<SessionState>): void {
    const next = { ...this.state, ...patch };
    if ((Object.keys(patch) as (keyof SessionState)[]).every((k) => next[k] === this.state[k]))
      return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): SessionState => this.state;

  /** Runs `change` as one undoable step of this person. */
  transact(change: () => void): void {
    this.undoManager.stopCapturing();
    this.ydoc.transact(change, this.origin);
    this.undoManager.stopCapturing();
  }

  private focusRequest: string | null = null;

  /** Focuses the field with this presence key now, or as soon as it mounts (a new list item). */
  requestFocus(key: string): void {
    const element = document.querySelector(`[data-field-key="${CSS.escape(key)}"]`);
    if (element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement) {
      element.focus();
      element.setSelectionRange(element.value.length, element.value.length);
      this.focusRequest = null;
    } else {
      this.focusRequest = key;
    }
  }

  takeFocusRequest(key: string): boolean {
    if (this.focusRequest !== key) return false;
    this.focusRequest = null;
    return true;
  }

  undo(): void {
    this.undoManager.undo();
  }

  redo(): void {
    this.undoManager.redo();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const cleanup of this.cleanups) cleanup();
    this.presence.destroy();
    this.undoManager.destroy();
    this.provider.destroy();
    void this.persistence.destroy();
    this.ydoc.destroy();
    this.listeners.clear();
  }
}
