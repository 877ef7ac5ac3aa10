import { useEffect, useState, type CSSProperties } from 'react';
import { Icon } from '../lib/icons.tsx';
import { initialsOf, type Identity } from '../lib/identity.ts';
import { handleLinkClick } from '../lib/router.ts';
import type { SessionState } from './DocSession.ts';
import { IconButton } from './fields.tsx';
import { usePeers, useSession, useSessionState } from './hooks.ts';

const STATUS_TEXT: Readonly<Record<SessionState['status'], string>> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  closed: 'Disconnected',
};

/** Connection and save state: "Saved" only when the server has committed every local edit. */
export function ConnectionStatus() {
  const { status, unsaved, closedReason } = useSessionState();
  let text: string = STATUS_TEXT[status];
  if (status === 'connected') text = unsaved > 0 ? 'Saving…' : 'Saved';
  return (
    <div
      className={`status status--${status}`}
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-status={status}
      data-saved={unsaved === 0}
      title={closedReason ?? undefined}
    >
      <span className="status__dot" aria-hidden="true" />
      <span className="status__text">{text}</span>
      {status !== 'connected' && unsaved > 0 && (
        <span className="status__pending" data-testid="unsynced-count">
          {' '}
          – {unsaved} unsaved {unsaved === 1 ? 'change' : 'changes'}
        </span>
      )}
    </div>
  );
}

export function Avatars({
  me,
  onEditMe,
}: {
  readonly me: Identity;
  readonly onEditMe: () => void;
}) {
  const peers = usePeers();
  const shown = peers.slice(0, 5);
  return (
    <div
      className="avatars"
      aria-label={`${peers.length + 1} ${peers.length === 0 ? 'person' : 'people'} here`}
      role="group"
    >
      {shown.map((peer) => (
        <span
          key={peer.clientId}
          className="avatar"
          style={{ '--avatar': peer.color } as CSSProperties}
          title={peer.name}
          data-testid="peer-avatar"
        >
          <span aria-hidden="true">{initialsOf(peer.name)}</span>
          <span className="visually-hidden">{peer.name}</span>
        </span>
      ))}
      {peers.length > shown.length && (
        <span className="avatar avatar--more">+{peers.length - shown.length}</span>
      )}
      <button
        type="button"
        className="avatar avatar--me"
        style={{ '--avatar': me.color } as CSSProperties}
        onClick={onEditMe}
        aria-label={`You: ${me.name}. Change name or colour`}
        title={`${me.name} (you)`}
      >
        <span aria-hidden="true">{initialsOf(me.name)}</span>
      </button>
    </div>
  );
}

export function UndoRedo() {
  const session = useSession();
  const { canUndo, canRedo } = useSessionState();
  return (
    <div className="toolbar-group" role="group" aria-label="History">
      <IconButton
        icon="undo"
        label="Undo"
        shortcut="Ctrl+Z"
        disabled={!canUndo}
        onClick={() => session.undo()}
      />
      <IconButton
        icon="redo"
        label="Redo"
        shortcut="Ctrl+Shift+Z"
        disabled={!canRedo}
        onClick={() => session.redo()}
      />
    </div>
  );
}

/** The document's name in the list: click to rename. */
export function DocTitle({
  title,
  onRename,
}: {
  readonly title: string;
  readonly onRename: (title: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(title);
  useEffect(() => setDraft(title), [title]);
  if (!editing) {
    return (
      <button
        type="button"
        className="doc-title"
        onClick={() => setEditing(true)}
        title="Rename document"
      >
        <span className="doc-title__text">{title}</span>
        <Icon name="edit" size={14} />
      </button>
    );
  }
  const commit = () => {
    setEditing(false);
    const next = draft.trim();
    if (next !== '' && next !== title) onRename(next);
    else setDraft(title);
  };
  return (
    <input
      className="doc-title-input"
      aria-label="Document name"
      value={draft}
      maxLength={200}
      autoFocus
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit();
        if (event.key === 'Escape') {
          setDraft(title);
          setEditing(false);
        }
      }}
    />
  );
}

export function BackLink() {
  return (
    <a href="/" className="back-link" onClick={handleLinkClick}>
      <Icon name="back" />
      <span>Documents</span>
    </a>
  );
}
