import { useEffect, useRef, type CSSProperties, type KeyboardEvent } from 'react';
import type * as Y from 'yjs';
import { setText, type ModelPath } from '@syspat/ydoc';
import { spliceOf, toSingleLine, transformPosition, type TextDelta } from '../lib/textBinding.ts';
import { usePeersIn, useSession } from './hooks.ts';
import { fieldKey } from './PresenceStore.ts';

export type TextVariant =
  'field' | 'title' | 'doc-title' | 'cell' | 'code' | 'markdown' | 'heading' | 'inline';

export interface CollabTextProps {
  /** The text to bind; `null` when the document has none yet (created on first focus). */
  readonly text: Y.Text | null;
  /** Model path of the text: its presence key, and where to create it when `text` is null. */
  readonly path: ModelPath;
  /** Accessible name when no visible `<label htmlFor>` points at `id`. */
  readonly label?: string;
  readonly id?: string;
  readonly placeholder?: string;
  /** Allows line breaks (notes, diagrams); one-line fields turn pasted breaks into spaces. */
  readonly multiline?: boolean;
  readonly variant?: TextVariant;
  readonly describedBy?: string;
  /** Enter in a one-line field (e.g. add the next list item). */
  readonly onEnter?: () => void;
  /** Backspace in an empty field (e.g. remove the list item). */
  readonly onBackspaceEmpty?: () => void;
  /** Alt+ArrowUp / Alt+ArrowDown (e.g. move the item). */
  readonly onMove?: (direction: -1 | 1) => void;
}

/**
 * A textarea bound to a Y.Text: local edits go in as the smallest splice, remote edits come out
 * with the caret moved through them, so two people typing in one field merge. Shows a ring and
 * name tag for everyone else in the field (awareness).
 */
export function CollabText(props: CollabTextProps) {
  const {
    text,
    path,
    label,
    id,
    placeholder,
    multiline = false,
    variant = 'field',
    describedBy,
  } = props;
  const session = useSession();
  const ref = useRef<HTMLTextAreaElement>(null);
  const key = fieldKey(path);
  const peers = usePeersIn(key);
  const handlers = useRef(props);
  handlers.current = props;

  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    let value = text?.toJSON() ?? '';
    if (element.value !== value) element.value = value;

    const handleInput = () => {
      let next = element.value;
      if (!multiline && /[\r\n]/.test(next)) {
        const caret = toSingleLine(next.slice(0, element.selectionEnd)).length;
        next = toSingleLine(next);
        element.value = next;
        element.setSelectionRange(caret, caret);
      }
      if (text === null) {
        if (next !== '') setText(session.ydoc, path, next, { origin: session.origin });
        value = next;
        return;
      }
      const splice = spliceOf(value, next, element.selectionEnd);
      value = next;
      if (splice === null) return;
      session.ydoc.transact(() => {
        if (splice.remove > 0) text.delete(splice.index, splice.remove);
        if (splice.insert !== '') text.insert(splice.index, splice.insert);
      }, session.origin);
    };

    const handleRemote = (event: Y.YTextEvent) => {
      if (text === null) return;
      const next = text.toJSON();
      if (next === element.value) {
        value = next;
        return;
      }
      const focused = document.activeElement === element;
      const { selectionStart, selectionEnd, selectionDirection } = element;
      const delta = event.delta as TextDelta;
      element.value = next;
      value = next;
      if (focused) {
        const start = transformPosition(selectionStart, delta);
        const end =
          selectionEnd === selectionStart ? start : transformPosition(selectionEnd, delta);
        element.setSelectionRange(start, end, selectionDirection ?? 'none');
      }
    };

    element.addEventListener('input', handleInput);
    text?.observe(handleRemote);
    if (session.takeFocusRequest(key)) {
      element.focus();
      element.setSelectionRange(element.value.length, element.value.length);
    }
    return () => {
      element.removeEventListener('input', handleInput);
      text?.unobserve(handleRemote);
    };
  }, [text, session, multiline, key]);

  const handleFocus = () => {
    session.presence.setField(key);
    // a missing table cell becomes an empty Y.Text as someone enters it, so typing merges
    if (text === null) {
      try {
        setText(session.ydoc, path, '', { origin: session.quietOrigin });
      } catch {
        // the parent went away (removed by someone else): nothing to bind
      }
    }
  };

  const handleBlur = () => {
    session.presence.setField(null);
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const { onEnter, onBackspaceEmpty, onMove } = handlers.current;
    if (event.key === 'Enter' && !multiline) {
      event.preventDefault();
      onEnter?.();
    } else if (
      event.key === 'Backspace' &&
      onBackspaceEmpty !== undefined &&
      event.currentTarget.value === ''
    ) {
      event.preventDefault();
      onBackspaceEmpty();
    } else if (
      event.altKey &&
      (event.key === 'ArrowUp' || event.key === 'ArrowDown') &&
      onMove !== undefined
    ) {
      event.preventDefault();
      onMove(event.key === 'ArrowUp' ? -1 : 1);
    }
  };

  const first = peers[0];
  const style = first === undefined ? undefined : ({ '--peer': first.color } as CSSProperties);

  return (
    <div
      className={`collab collab--${variant}`}
      data-peers={peers.length > 0 ? 'true' : undefined}
      style={style}
    >
      <textarea
        ref={ref}
        id={id}
        className="collab__input"
        aria-label={label}
        aria-describedby={describedBy}
        placeholder={placeholder}
        rows={1}
        spellCheck={variant !== 'code'}
        data-field-key={key}
        defaultValue={text?.toJSON() ?? ''}
        onFocus={handleFocus}
        onBlur={handleBlur}
        onKeyDown={handleKeyDown}
      />
      {peers.length > 0 && (
        <span
          className="collab__peers"
          aria-label={`Also here: ${peers.map((p) => p.name).join(', ')}`}
        >
          {peers.map((peer) => (
            <span
              key={peer.clientId}
              className="collab__peer"
              style={{ '--peer': peer.color } as CSSProperties}
            >
              {peer.name}
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
