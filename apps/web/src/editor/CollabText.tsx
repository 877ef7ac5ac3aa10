import {
  useEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type * as Y from 'yjs';
import { applyTextDiff, setText, type ModelPath } from '@syspat/ydoc';
import { encodeCaret } from '../lib/caretPosition.ts';
import { toSingleLine, transformPosition, type TextDelta } from '../lib/textBinding.ts';
import { throttle } from '../lib/throttle.ts';
import { usePeersIn, useSession, useYTextValue } from './hooks.ts';
import { fieldKey } from './PresenceStore.ts';
import { RemoteCarets } from './RemoteCarets.tsx';

/** At most one caret update per this many ms goes out (awareness messages count as traffic). */
const CARET_THROTTLE_MS = 100;

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
  /**
   * The value rendered (e.g. markdown emphasis as italics), shown over the field while nobody
   * edits it, or null to show the value as it is. Focusing the field (click, Tab) edits the text.
   */
  readonly preview?: (value: string) => ReactNode;
}

/**
 * A textarea bound to a Y.Text: local edits go in as the smallest diff, remote edits come out
 * with the caret moved through them, so two people typing in one field merge. Publishes this
 * person's selection in awareness (relative positions, throttled, cleared on blur) and shows a
 * ring for everyone else in the field, with their carets (`RemoteCarets`) or, where a caret
 * cannot be drawn, a name tag.
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
    preview,
  } = props;
  const session = useSession();
  const ref = useRef<HTMLTextAreaElement>(null);
  const key = fieldKey(path);
  const peers = usePeersIn(key);
  const handlers = useRef(props);
  handlers.current = props;
  /** Peers whose caret is drawn: their name is at the caret, not in a tag. */
  const [atCaret, setAtCaret] = useState('');
  const publishCaret = useRef<(() => void) & { cancel(): void }>(null);
  const [focused, setFocused] = useState(false);

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
      if (next === value) return;
      value = next;
      // `text` holds what the field showed before this input: remote edits update both at once
      const caret = element.selectionEnd;
      session.ydoc.transact(() => applyTextDiff(text, next, caret), session.origin);
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

    const publish = throttle(() => {
      if (text === null || document.activeElement !== element) return;
      const { selectionStart, selectionEnd, selectionDirection } = element;
      const backward = selectionDirection === 'backward';
      session.presence.setCaret(
        encodeCaret(
          key,
          text,
          backward ? selectionEnd : selectionStart,
          backward ? selectionStart : selectionEnd,
        ),
      );
    }, CARET_THROTTLE_MS);
    publishCaret.current = publish;
    // selection changes by keyboard and mouse; listened to only while this field has focus
    const handleSelection = () => {
      if (document.activeElement === element) publish();
    };
    const listenToSelection = () => document.addEventListener('selectionchange', handleSelection);
    const stopListening = () => document.removeEventListener('selectionchange', handleSelection);

    element.addEventListener('input', handleInput);
    // after handleInput, so the caret is encoded against the text with the edit in it
    element.addEventListener('input', publish);
    element.addEventListener('keyup', publish);
    element.addEventListener('pointerup', publish);
    element.addEventListener('select', publish);
    element.addEventListener('focus', listenToSelection);
    element.addEventListener('blur', stopListening);
    if (document.activeElement === element) listenToSelection();
    text?.observe(handleRemote);
    if (session.takeFocusRequest(key)) {
      element.focus();
      element.setSelectionRange(element.value.length, element.value.length);
    }
    if (document.activeElement === element) publish();
    return () => {
      publish.cancel();
      publishCaret.current = null;
      element.removeEventListener('input', handleInput);
      element.removeEventListener('input', publish);
      element.removeEventListener('keyup', publish);
      element.removeEventListener('pointerup', publish);
      element.removeEventListener('select', publish);
      element.removeEventListener('focus', listenToSelection);
      element.removeEventListener('blur', stopListening);
      stopListening();
      text?.unobserve(handleRemote);
    };
  }, [text, session, multiline, key]);

  const handleFocus = () => {
    if (preview !== undefined) setFocused(true);
    // the caret names its field: one awareness update, not two
    if (text !== null && publishCaret.current !== null) publishCaret.current();
    else session.presence.setField(key);
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
    if (preview !== undefined) setFocused(false);
    publishCaret.current?.cancel();
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

  const shownAtCaret = new Set(atCaret.split(','));
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
      {preview !== undefined && !focused && peers.length === 0 && (
        <FieldPreview text={text} render={preview} />
      )}
      {peers.length > 0 && text !== null && (
        <RemoteCarets field={ref} text={text} fieldKey={key} onShown={setAtCaret} />
      )}
      {peers.length > 0 && (
        <span
          className="collab__peers"
          aria-label={`Also here: ${peers.map((p) => p.name).join(', ')}`}
        >
          {peers.map((peer) => (
            <span
              key={peer.clientId}
              className={
                shownAtCaret.has(String(peer.clientId))
                  ? 'collab__peer collab__peer--at-caret'
                  : 'collab__peer'
              }
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

/** The value rendered over the field (which shows through transparent; see styles.css). */
function FieldPreview({
  text,
  render,
}: {
  readonly text: Y.Text | null;
  readonly render: (value: string) => ReactNode;
}) {
  const value = useYTextValue(text);
  const node = render(value);
  if (node === null || node === undefined) return null;
  return (
    <div className="collab__preview" aria-hidden="true" data-testid="field-preview">
      {node}
    </div>
  );
}
