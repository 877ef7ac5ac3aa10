import * as encoding from 'lib0/encoding';
import { parseMarkdown } from '@syspat/markdown';
import { createDocument } from '@syspat/model';
import { applyModel } from '@syspat/ydoc';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate } from './updateGuard.ts';

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
