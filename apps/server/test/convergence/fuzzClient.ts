import {
  cardPath,
  getCardArray,
  getRoot,
  insertCard,
  moveCard,
  orderedEntries,
  removeCard,
  setText,
  YdocError,
} from '@syspat/ydoc';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Rng } from './rng.ts';

/** Sections whose cards the clients add, remove and move. */
const CARD_SECTIONS = ['components', 'patterns', 'decisions', 'paths'] as const;

/** What gets typed: markdown-significant characters, non-ASCII, newlines (no surrogate pairs). */
const ALPHABET = 'abcdefghij  *_`#[]()-|\n>éßж中';

const FORMATS: readonly Record<string, unknown>[] = [
  { bold: true },
  { bold: null },
  { italic: true },
  { italic: null },
  { link: 'https://example.com/x' },
  { code: true },
];

export type EditKind =
  | 'insert'
  | 'delete'
  | 'format'
  | 'undo'
  | 'redo'
  | 'setText'
  | 'insertCard'
  | 'removeCard'
  | 'moveCard';

/**
 * One person: a stock `y-websocket` WebsocketProvider (through its own chaos proxy) on a Y.Doc
 * of the shared syspat document, a `Y.UndoManager` of their own, and random edits made the way
 * the web app makes them (one transaction per edit, with the person's origin).
 */
export class FuzzClient {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly undo: Y.UndoManager;
  /** The local origin of this person's edits (tracked by their undo manager only). */
  readonly origin: { readonly client: number };
  private readonly resync: NodeJS.Timeout | undefined;
  private destroyed = false;

  constructor(
    readonly index: number,
    clientId: number,
    serverUrl: string,
    docId: string,
    options: { resyncMs: number; captureTimeoutMs: number; maxBackoffMs: number },
  ) {
    this.doc.clientID = clientId;
    this.origin = { client: index };
    this.undo = new Y.UndoManager(getRoot(this.doc), {
      trackedOrigins: new Set([this.origin]),
      captureTimeout: options.captureTimeoutMs,
    });
    this.provider = new WebsocketProvider(serverUrl, docId, this.doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: options.maxBackoffMs,
    });
    // The stock `resyncInterval` option tests `WebSocket.OPEN` on the global, which Node 20 does
    // not have; this sends the same message (a SyncStep1) on the provider's own socket.
    if (options.resyncMs > 0) {
      this.resync = setInterval(() => {
        const ws = this.provider.ws;
        if (ws === null || ws.readyState !== WebSocket.OPEN) return;
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, 0);
        syncProtocol.writeSyncStep1(encoder, this.doc);
        ws.send(encoding.toUint8Array(encoder));
      }, options.resyncMs);
    }
  }

  get connected(): boolean {
    return this.provider.wsconnected;
  }

  /** Goes offline (true) or back online (false), as closing and reopening a laptop would. */
  toggleOnline(): 'offline' | 'online' {
    if (this.provider.shouldConnect) {
      this.provider.disconnect();
      return 'offline';
    }
    this.provider.connect();
    return 'online';
  }

  /**
   * Makes one random edit; returns what it did, for the run's log. A markdown import can take a
   * whole section or block away (what the template knows is only what the markdown says), so an
   * edit aimed at one that is gone is skipped, as the editor would not offer it.
   */
  edit(rng: Rng): string {
    try {
      return this.tryEdit(rng);
    } catch (err) {
      if (err instanceof YdocError) return `skipped: ${err.message}`;
      throw err;
    }
  }

  private tryEdit(rng: Rng): string {
    const kind = rng.weighted<EditKind>({
      insert: 30,
      delete: 14,
      format: 10,
      undo: 9,
      redo: 4,
      setText: 5,
      insertCard: 6,
      removeCard: 4,
      moveCard: 4,
    });
    const origin = this.origin;
    const doc = this.doc;
    switch (kind) {
      case 'insert': {
        const text = this.pickText(rng);
        if (text === undefined) return 'insert: no text yet';
        const at = rng.int(0, text.length);
        const value = randomString(rng, rng.int(1, 6));
        const attributes = rng.chance(0.2) ? rng.pick(FORMATS) : undefined;
        doc.transact(() => text.insert(at, value, attributes), origin);
        return `insert ${JSON.stringify(value)} at ${at}`;
      }
      case 'delete': {
        const text = this.pickText(rng);
        if (text === undefined || text.length === 0) return 'delete: nothing';
        const at = rng.int(0, text.length - 1);
        const length = rng.int(1, Math.min(8, text.length - at));
        doc.transact(() => text.delete(at, length), origin);
        return `delete ${length} at ${at}`;
      }
      case 'format': {
        const text = this.pickText(rng);
        if (text === undefined || text.length === 0) return 'format: nothing';
        const at = rng.int(0, text.length - 1);
        const length = rng.int(1, Math.min(10, text.length - at));
        const format = rng.pick(FORMATS);
        doc.transact(() => text.format(at, length, format), origin);
        return `format ${length} at ${at} ${JSON.stringify(format)}`;
      }
      case 'undo':
        return `undo (${this.undo.undo() === null ? 'nothing to undo' : 'done'})`;
      case 'redo':
        return `redo (${this.undo.redo() === null ? 'nothing to redo' : 'done'})`;
      case 'setText': {
        const section = rng.pick(['components', 'patterns', 'decisions'] as const);
        const card = this.pickCard(rng, section);
        const field = { components: 'purpose', patterns: 'benefits', decisions: 'rationale' }[
          section
        ];
        const value = rng.chance(0.15) ? null : randomString(rng, rng.int(0, 12));
        if (card === undefined) {
          setText(doc, ['title'], value ?? '', { origin });
          return `setText title ${JSON.stringify(value ?? '')}`;
        }
        setText(doc, [...cardPath(section, card), 'fields', field], value, { origin });
        return `setText ${section}/${card}/${field} ${JSON.stringify(value)}`;
      }
      case 'insertCard': {
        const section = rng.pick(CARD_SECTIONS);
        const count = this.cardIds(section).length;
        const index = rng.int(0, count);
        const card = insertCard(doc, section, { index, origin });
        return `insertCard ${section}/${card.id} at ${index}`;
      }
      case 'removeCard': {
        const section = rng.pick(CARD_SECTIONS);
        const card = this.pickCard(rng, section);
        if (card === undefined) return `removeCard: no card in ${section}`;
        removeCard(doc, section, card, { origin });
        return `removeCard ${section}/${card}`;
      }
      case 'moveCard': {
        const section = rng.pick(CARD_SECTIONS);
        const card = this.pickCard(rng, section);
        if (card === undefined) return `moveCard: no card in ${section}`;
        const to = rng.int(0, this.cardIds(section).length - 1);
        moveCard(doc, section, card, to, { origin });
        return `moveCard ${section}/${card} to ${to}`;
      }
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.resync !== undefined) clearInterval(this.resync);
    this.undo.destroy();
    this.provider.destroy();
  }

  private cardIds(section: string): string[] {
    const list = getCardArray(this.doc, section);
    if (list === null) return [];
    return orderedEntries(list)
      .map((entry) => entry.get('id'))
      .filter((id): id is string => typeof id === 'string');
  }

  private pickCard(rng: Rng, section: string): string | undefined {
    const ids = this.cardIds(section);
    return ids.length === 0 ? undefined : rng.pick(ids);
  }

  /**
   * A Y.Text of the document: half the time one of a few "hot" ones (the title, the intro and the
   * components' cards) so that people often type in the same field at once, else any.
   */
  private pickText(rng: Rng): Y.Text | undefined {
    const root = getRoot(this.doc);
    if (rng.chance(0.5)) {
      const hot: Y.Text[] = [];
      for (const key of ['title', 'intro']) {
        const value = root.get(key);
        if (value instanceof Y.Text) hot.push(value);
      }
      const sections = root.get('sections');
      if (sections instanceof Y.Map) collectTexts(sections.get('components'), hot);
      if (hot.length > 0) return rng.pick(hot);
    }
    const all: Y.Text[] = [];
    collectTexts(root, all);
    return all.length === 0 ? undefined : rng.pick(all);
  }
}

function collectTexts(value: unknown, into: Y.Text[]): void {
  if (value instanceof Y.Text) into.push(value);
  else if (value instanceof Y.Map) {
    const map = value as Y.Map<unknown>;
    for (const key of [...map.keys()].sort()) collectTexts(map.get(key), into);
  } else if (value instanceof Y.Array) {
    for (const item of (value as Y.Array<unknown>).toArray()) collectTexts(item, into);
  }
}

function randomString(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[rng.int(0, ALPHABET.length - 1)];
  return s;
}
