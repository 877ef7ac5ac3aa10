import * as Y from 'yjs';
import type { DocMeta, Storage } from './Storage.ts';

/**
 * Helpers of the storage contract suite: a writer's in-memory view of one document, as a server
 * room holds it (loaded from the store, then appending its own edits), without any server.
 */

export const buildMeta = (overrides: Partial<DocMeta> = {}): DocMeta => ({
  id: 'doc1',
  title: 'Doc',
  createdAt: 1000,
  updatedAt: 1000,
  ...overrides,
});

/** The initial state of a document whose text `t` holds `text`. */
export function initialState(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/** One writer's view: a Y.Doc loaded through `storage`, and the last sequence number it knows. */
export class WriterView {
  doc = new Y.Doc();
  lastSeq = 0;

  constructor(
    readonly storage: Storage,
    readonly docId: string,
  ) {}

  /** Starts over from what the store holds now, as a room does when it loads. */
  async load(): Promise<void> {
    const { doc, lastSeq } = await readStore(this.storage, this.docId);
    this.doc.destroy();
    this.doc = doc;
    this.lastSeq = lastSeq;
  }

  /** Appends `marker` to the text and stores the update, as a group commit would. */
  write(marker: string): Promise<void> {
    return this.commit((text) => text.insert(text.length, marker));
  }

  /** Deletes the first `count` characters and stores that, so delete sets are at stake too. */
  erase(count: number): Promise<void> {
    return this.commit((text) => text.delete(0, Math.min(count, text.length)));
  }

  private async commit(change: (text: Y.Text) => void): Promise<void> {
    const before = Y.encodeStateVector(this.doc);
    change(this.doc.getText('t'));
    const update = Y.encodeStateAsUpdate(this.doc, before);
    const seqs = await this.storage.appendUpdates(
      [{ docId: this.docId, updates: [update] }],
      Date.now(),
    );
    this.lastSeq = seqs.get(this.docId) ?? this.lastSeq;
  }

  compact() {
    return this.storage.compact(this.docId, Y.encodeStateAsUpdate(this.doc), this.lastSeq);
  }

  text(): string {
    return this.doc.getText('t').toJSON();
  }
}

/** The document as a fresh reader of the store sees it (snapshot, then the log in order). */
export async function readStore(
  storage: Storage,
  docId: string,
): Promise<{ doc: Y.Doc; lastSeq: number }> {
  const stored = await storage.loadDoc(docId);
  if (stored === undefined) throw new Error(`${docId} is not in the store`);
  const doc = new Y.Doc();
  const rows = stored.snapshot === null ? stored.updates : [stored.snapshot, ...stored.updates];
  for (const row of rows) Y.applyUpdate(doc, row);
  return { doc, lastSeq: stored.lastSeq };
}
