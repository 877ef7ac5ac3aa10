import { useState, type DragEvent, type KeyboardEvent } from 'react';
import { moveEntry, type ListPath } from '@syspat/ydoc';
import type * as Y from 'yjs';
import { announce } from '../lib/announce.ts';
import { useSession } from './hooks.ts';
import { idOf } from './modelEdits.ts';

/**
 * Reordering a layout list by drag and drop (on the grip handle) and by keyboard (arrow keys on
 * the focused handle, or Alt+↑/↓ in a field). A move rewrites one order key (`moveEntry`), so
 * it never duplicates or loses an entry and someone typing inside it keeps their text.
 */

const DRAG_TYPE = 'application/x-syspat-entry';

export interface Sortable {
  readonly dropTarget: { readonly id: string; readonly after: boolean } | null;
  readonly draggingId: string | null;
  readonly move: (id: string, by: -1 | 1) => void;
  readonly handleProps: (
    id: string,
    label: string,
  ) => {
    draggable: true;
    'data-handle': string;
    'aria-label': string;
    'aria-keyshortcuts': string;
    onDragStart: (event: DragEvent<HTMLElement>) => void;
    onDragEnd: () => void;
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
  };
  readonly itemProps: (id: string) => {
    onDragOver: (event: DragEvent<HTMLElement>) => void;
    onDragLeave: (event: DragEvent<HTMLElement>) => void;
    onDrop: (event: DragEvent<HTMLElement>) => void;
    'data-drop'?: 'before' | 'after';
    'data-dragging'?: 'true';
  };
}

export function useSortable(
  listPath: ListPath,
  entries: readonly Y.Map<unknown>[],
  noun: string,
): Sortable {
  const session = useSession();
  const [draggingId, setDraggingId] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<{ id: string; after: boolean } | null>(null);

  const ids = entries.map(idOf);

  const moveTo = (id: string, toIndex: number) => {
    const from = ids.indexOf(id);
    if (from < 0) return;
    const bounded = Math.max(0, Math.min(toIndex, ids.length - 1));
    if (bounded === from) return;
    session.undoManager.stopCapturing();
    moveEntry(session.ydoc, listPath, id, bounded, { origin: session.origin });
    session.undoManager.stopCapturing();
    announce(`${noun} moved to position ${bounded + 1} of ${ids.length}`);
    requestAnimationFrame(() => {
      const handle = document.querySelector(`[data-handle="${CSS.escape(id)}"]`);
      if (
        handle instanceof HTMLElement &&
        document.activeElement !== handle &&
        handle.dataset.refocus === 'true'
      ) {
        handle.focus();
      }
    });
  };

  const move = (id: string, by: -1 | 1) => moveTo(id, ids.indexOf(id) + by);

  return {
    dropTarget,
    draggingId,
    move,
    handleProps: (id, label) => ({
      draggable: true,
      'data-handle': id,
      'aria-label': label,
      'aria-keyshortcuts': 'ArrowUp ArrowDown',
      onDragStart: (event) => {
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData(DRAG_TYPE, id);
        event.dataTransfer.setData('text/plain', noun);
        const item = event.currentTarget.closest('[data-sortable-item]');
        if (item instanceof HTMLElement) event.dataTransfer.setDragImage(item, 24, 24);
        setDraggingId(id);
      },
      onDragEnd: () => {
        setDraggingId(null);
        setDropTarget(null);
      },
      onKeyDown: (event) => {
        if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
        event.preventDefault();
        event.currentTarget.dataset.refocus = 'true';
        move(id, event.key === 'ArrowUp' ? -1 : 1);
      },
    }),
    itemProps: (id) => ({
      onDragOver: (event) => {
        if (draggingId === null || !event.dataTransfer.types.includes(DRAG_TYPE)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        const rect = event.currentTarget.getBoundingClientRect();
        const after = event.clientY > rect.top + rect.height / 2;
        if (dropTarget?.id !== id || dropTarget.after !== after) setDropTarget({ id, after });
      },
      onDragLeave: (event) => {
        if (
          !event.currentTarget.contains(event.relatedTarget as Node | null) &&
          dropTarget?.id === id
        ) {
          setDropTarget(null);
        }
      },
      onDrop: (event) => {
        const dragged = event.dataTransfer.getData(DRAG_TYPE);
        setDropTarget(null);
        setDraggingId(null);
        if (dragged === '' || dragged === id) return;
        event.preventDefault();
        const from = ids.indexOf(dragged);
        const target = ids.indexOf(id);
        const rect = event.currentTarget.getBoundingClientRect();
        let to = event.clientY > rect.top + rect.height / 2 ? target + 1 : target;
        if (from < to) to -= 1;
        moveTo(dragged, to);
      },
      ...(dropTarget?.id === id
        ? { 'data-drop': dropTarget.after ? ('after' as const) : ('before' as const) }
        : {}),
      ...(draggingId === id ? { 'data-dragging': 'true' as const } : {}),
    }),
  };
}
