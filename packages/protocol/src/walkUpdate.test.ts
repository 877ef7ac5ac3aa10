import * as encoding from 'lib0/encoding';
import { parseMarkdown } from '@syspat/markdown';
import { createDocument } from '@syspat/model';
import { applyModel } from '@syspat/ydoc';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NO_DEP, checkUpdate, walkUpdate } from './walkUpdate.ts';

/** Every update Yjs itself produces for a doc using every content kind we accept. */
function legitimateUpdates(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const text = doc.getText('t');
  text.insert(0, 'hello wörld 🎉');
  text.format(0, 3, { bold: true });
  text.insertEmbed(2, { image: 'x.png' });
  doc
    .getArray('a')
    .push([
      1,
      'two',
      { three: [3, null, true, 1.5, 2n ** 60n] },
      new Uint8Array([1, 2]),
      new Y.Map(),
      new Y.Text('x'),
    ]);
  doc.getMap('m').set('k', 'v');
  const fragment = doc.getXmlFragment('prose');
  const paragraph = new Y.XmlElement('paragraph');
  fragment.insert(0, [
    paragraph,
    new Y.XmlText('text'),
    new Y.XmlHook('hook') as unknown as Y.XmlElement,
  ]);
  paragraph.setAttribute('level', '2');
  text.delete(1, 2);
  doc.getArray('a').delete(0, 2);
  doc.getMap('m').delete('k');
  updates.push(Y.encodeStateAsUpdate(doc));
  return updates;
}

describe('checkUpdate', () => {
  it('accepts every update Yjs produces, including whole syspat documents', () => {
    const template = new Y.Doc();
    applyModel(template, createDocument());
    const imported = new Y.Doc();
    applyModel(
      imported,
      parseMarkdown(
        '# System Patterns\n\n## System Architecture Overview\n\nNotes | with | pipes\n',
      ),
    );
    const updates = [
      ...legitimateUpdates(),
      Y.encodeStateAsUpdate(template),
      Y.encodeStateAsUpdate(imported),
    ];
    for (const update of updates) expect(checkUpdate(update)).toBeUndefined();
  });

  it('refuses a struct count larger than the update, without allocating for it', () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1); // one client
    encoding.writeVarUint(e, 13_000_000); // structs
    encoding.writeVarUint(e, 5);
    encoding.writeVarUint(e, 0);
    const started = performance.now();
    expect(checkUpdate(encoding.toUint8Array(e))).toMatch(/count 13000000/);
    expect(performance.now() - started).toBeLessThan(5);
  });

  it('refuses subdocuments, unknown content kinds and deep nesting', () => {
    const host = new Y.Doc();
    host.getMap('m').set('sub', new Y.Doc());
    expect(checkUpdate(Y.encodeStateAsUpdate(host))).toMatch(/subdocuments/);

    const unknownKind = encoding.createEncoder();
    for (const n of [1, 1, 5, 0]) encoding.writeVarUint(unknownKind, n);
    encoding.writeUint8(unknownKind, 15); // content kind 15, no parent info bits
    encoding.writeVarUint(unknownKind, 1);
    encoding.writeVarString(unknownKind, 'root');
    expect(checkUpdate(encoding.toUint8Array(unknownKind))).toMatch(/unknown content kind 15/);

    let nested: unknown = 1;
    for (let i = 0; i < 100; i++) nested = [nested];
    const deep = new Y.Doc();
    deep.getArray('a').push([nested]);
    expect(checkUpdate(Y.encodeStateAsUpdate(deep))).toMatch(/nested too deeply/);
  });

  it('refuses trailing bytes after a well-formed update', () => {
    const full = legitimateUpdates().at(-1)!;
    expect(checkUpdate(new Uint8Array([...full, 0]))).toMatch(/1 bytes after the end/);
  });

  it('refuses truncated updates', () => {
    const full = legitimateUpdates().at(-1)!;
    for (const cut of [1, 2, 5, full.length - 1])
      expect(checkUpdate(full.subarray(0, cut))).toBeDefined();
  });
});

describe('walkUpdate', () => {
  it('reports each struct with the client, clock and length Yjs decodes for it', () => {
    for (const update of legitimateUpdates()) {
      const walked: { client: number; clock: number; length: number; start: number }[] = [];
      let client = -1;
      let dsStart = -1;
      const problem = walkUpdate(update, {
        section: (id) => (client = id),
        struct: (start, _info, clock, length) => walked.push({ client, clock, length, start }),
        deleteSet: (start) => (dsStart = start),
      });
      expect(problem).toBeUndefined();
      const decoded = Y.decodeUpdate(update);
      expect(walked.map(({ client, clock, length }) => ({ client, clock, length }))).toEqual(
        decoded.structs.map((s) => ({ client: s.id.client, clock: s.id.clock, length: s.length })),
      );
      // the delete set starts where the walk says: Yjs reads the same deletions from there
      const tail = new Uint8Array([0, ...update.subarray(dsStart)]);
      expect(Y.decodeUpdate(tail).ds).toEqual(decoded.ds);
      expect(walked.every((w, i) => i === 0 || w.start > (walked[i - 1]?.start ?? 0))).toBe(true);
    }
  });

  it('names the origin, right origin and parent item each struct depends on', () => {
    const doc = new Y.Doc();
    doc.clientID = 1;
    const list = doc.getArray<Y.Map<string>>('a');
    list.push([new Y.Map()]);
    const other = new Y.Doc();
    other.clientID = 2;
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(other);
    other.getArray<Y.Map<string>>('a').get(0).set('k', 'v'); // parent: client 1's map
    other.getArray('a').insert(0, ['first']); // right origin: client 1's map
    const seen: number[][] = [];
    walkUpdate(Y.encodeStateAsUpdate(other, before), {
      struct: (_start, _info, _clock, _length, deps) => seen.push([...deps]),
    });
    expect(seen).toEqual([
      [NO_DEP, NO_DEP, NO_DEP, NO_DEP, 1, 0],
      [NO_DEP, NO_DEP, 1, 0, NO_DEP, NO_DEP],
    ]);
  });

  it('passes an error thrown by the visitor to the caller instead of calling the update bad', () => {
    const update = legitimateUpdates().at(-1)!;
    expect(() =>
      walkUpdate(update, {
        struct: () => {
          throw new TypeError('visitor bug');
        },
      }),
    ).toThrow('visitor bug');
  });
});
