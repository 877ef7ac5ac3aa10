import type { BlockSpec, SectionSpec } from '@syspat/template';
import {
  createBlock,
  createRow,
  createSection,
  newId,
  type Block,
  type SyspatDocument,
} from '@syspat/model';
import {
  insertEntry,
  patchModel,
  readModel,
  removeEntry,
  type ListEntryTypes,
  type ListName,
  type ListPath,
  type ModelPath,
} from '@syspat/ydoc';
import type * as Y from 'yjs';
import { announce } from '../lib/announce.ts';
import { showToast } from '../lib/toasts.ts';
import type { DocSession } from './DocSession.ts';
import { fieldKey } from './PresenceStore.ts';

/**
 * Structural edits the path helpers of @syspat/ydoc do not cover (a missing section, block,
 * table or diagram), made as a model change applied with `patchModel`: only what differs is
 * written, so nobody's typing elsewhere is touched. All are one undoable step.
 */

export function patch(
  session: DocSession,
  change: (model: SyspatDocument) => SyspatDocument,
): void {
  const model = readModel(session.ydoc);
  const next = change(model);
  session.undoManager.stopCapturing();
  patchModel(session.ydoc, next, session.origin);
  session.undoManager.stopCapturing();
}

export function addSection(session: DocSession, spec: SectionSpec): void {
  patch(session, (model) => ({
    ...model,
    sections: { ...model.sections, [spec.id]: createSection(spec) },
  }));
  announce(`${spec.heading} added`);
}

function withBlock(
  model: SyspatDocument,
  sectionId: string,
  blockId: string,
  block: Block,
): SyspatDocument {
  const section = model.sections[sectionId];
  if (!section) return model;
  return {
    ...model,
    sections: {
      ...model.sections,
      [sectionId]: { ...section, blocks: { ...section.blocks, [blockId]: block } },
    },
  };
}

export function addBlock(session: DocSession, sectionId: string, spec: BlockSpec): void {
  patch(session, (model) => withBlock(model, sectionId, spec.id, createBlock(spec)));
}

/** Gives a diagram block that has only notes its code fence. */
export function addDiagram(session: DocSession, sectionId: string, blockId: string): void {
  patch(session, (model) => {
    const block = model.sections[sectionId]?.blocks[blockId];
    if (block?.kind !== 'diagram') return model;
    return withBlock(model, sectionId, blockId, { ...block, diagram: { lang: '', code: '' } });
  });
}

/** Gives a table block that has only notes its table. */
export function addTable(session: DocSession, sectionId: string, blockId: string): void {
  patch(session, (model) => {
    const block = model.sections[sectionId]?.blocks[blockId];
    if (block?.kind !== 'table') return model;
    return withBlock(model, sectionId, blockId, {
      ...block,
      table: { extraColumns: [], rows: [createRow()] },
    });
  });
}

/**
 * Appends a new entry to a list as one undo step and puts the caret in its `focus` field (it
 * mounts on the next render). Returns the new entry's id.
 */
export function addEntryAndFocus<K extends ListName>(
  session: DocSession,
  path: ListPath<K>,
  entry: Omit<ListEntryTypes[K], 'id'>,
  focus: string,
): string {
  const id = newId();
  session.transact(() =>
    insertEntry(session.ydoc, path, { ...entry, id } as ListEntryTypes[K], {
      origin: session.origin,
    }),
  );
  session.requestFocus(fieldKey([...path, id, focus]));
  return id;
}

export function createExtraSectionAfter(session: DocSession, after: string | null): string {
  let id = '';
  patch(session, (model) => {
    const extra = { id: newId(), heading: 'New section', depth: 2, body: '', after };
    id = extra.id;
    return { ...model, extraSections: [...model.extraSections, extra] };
  });
  return id;
}

/**
 * Removes a list entry as its own undo step and offers Undo in a toast. The toast's Undo undoes
 * exactly that step while it is still this person's latest; later, it does nothing harmful.
 */
export function removeWithUndo(
  session: DocSession,
  path: ListPath,
  id: string,
  what: string,
): void {
  const { undoManager } = session;
  undoManager.stopCapturing();
  const removed = removeEntry(session.ydoc, path, id, { origin: session.origin });
  undoManager.stopCapturing();
  if (!removed) return;
  const item = undoManager.undoStack[undoManager.undoStack.length - 1];
  announce(`${what} removed`);
  showToast({
    message: `${what} removed`,
    action: {
      label: 'Undo',
      run: () => {
        const top = undoManager.undoStack[undoManager.undoStack.length - 1];
        if (top !== undefined && top === item) {
          undoManager.undo();
          announce(`${what} restored`);
        } else {
          showToast({
            message: 'Use the undo button to step back through your later changes first.',
          });
        }
      },
    },
  });
}

/** The plain `id` of a list entry map. */
export const idOf = (entry: Y.Map<unknown>): string => {
  const id = entry.get('id');
  return typeof id === 'string' ? id : '';
};

/** The path of the list `name` under `parent`. */
export function listPathOf<K extends ListName>(parent: ModelPath, name: K): ListPath<K> {
  return [...parent, name];
}
