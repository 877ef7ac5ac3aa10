import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createDocument } from '@syspat/model';
import * as api from './index.ts';

describe('@syspat/ydoc public API', () => {
  it('exports the binding and the editing helpers, and nothing else', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'LAYOUT_VERSION',
        'META_NAME',
        'ROOT_NAME',
        'YdocError',
        'applyModel',
        'applyTextDiff',
        'diffText',
        'assertLayoutEditable',
        'blockPath',
        'cardPath',
        'getBlockMap',
        'getCardArray',
        'getList',
        'getRoot',
        'getSectionMap',
        'getText',
        'documentLayoutStatus',
        'insertCard',
        'insertEntry',
        'insertItem',
        'insertRow',
        'layoutMigrations',
        'migrateDocument',
        'moveCard',
        'moveEntry',
        'orderedEntries',
        'patchModel',
        'readLayoutVersion',
        'readModel',
        'removeCard',
        'removeEntry',
        'sectionPath',
        'setText',
      ].sort(),
    );
  });

  it('applies, reads and patches a document through the public functions', () => {
    const doc = new Y.Doc();
    const model = createDocument();
    api.applyModel(doc, model);
    expect(api.readModel(doc)).toEqual(model);
    api.patchModel(doc, { ...model, title: 'Billing' });
    expect(api.getText(doc, ['title'])?.toJSON()).toBe('Billing');
    expect(api.getRoot(doc)).toBe(doc.getMap(api.ROOT_NAME));
  });
});
