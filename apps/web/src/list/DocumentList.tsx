import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type CSSProperties,
  type DragEvent,
} from 'react';
import { createDoc, deleteDoc, duplicateDoc, listDocs, type DocSummary } from '../lib/api.ts';
import { importMarkdown } from '../lib/importMarkdown.ts';
import { renameWithUndo } from '../lib/renameWithUndo.ts';
import { Icon } from '../lib/icons.tsx';
import { initialsOf, type Identity } from '../lib/identity.ts';
import { docHref, handleLinkClick, navigate } from '../lib/router.ts';
import { showError, showToast } from '../lib/toasts.ts';
import { formatRelative } from './formatRelative.ts';

type Load =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly docs: readonly DocSummary[] }
  | { readonly kind: 'error'; readonly message: string };

const looksLikeMarkdown = (text: string): boolean =>
  /^\s*(---\n|#{1,6}\s|\*|-\s)/m.test(text) && text.trim().length > 20;

/** The home page: every document, newest change first, with create / import / rename / duplicate / delete. */
export function DocumentList({
  identity,
  onEditIdentity,
}: {
  readonly identity: Identity | null;
  readonly onEditIdentity: () => void;
}) {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [pasteOpen, setPasteOpen] = useState(false);
  const [toDelete, setToDelete] = useState<DocSummary | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const dragDepth = useRef(0);

  const refresh = useCallback(() => {
    listDocs().then(
      (docs) => setLoad({ kind: 'ready', docs }),
      (error: unknown) =>
        setLoad({
          kind: 'error',
          message: error instanceof Error ? error.message : 'Cannot load documents.',
        }),
    );
  }, []);

  useEffect(() => {
    document.title = 'Documents · syspat';
    refresh();
  }, [refresh]);

  const run = async (work: () => Promise<DocSummary>, open = true) => {
    setBusy(true);
    try {
      const doc = await work();
      if (open) navigate(docHref(doc.id));
      else refresh();
      return doc;
    } catch (error) {
      showError(error);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const importFiles = async (files: readonly File[]) => {
    const markdown = files.filter(
      (f) => /\.(md|markdown|txt)$/i.test(f.name) || f.type === 'text/markdown',
    );
    if (markdown.length === 0) {
      showToast({ message: 'Drop a markdown (.md) file to import it.', tone: 'error' });
      return;
    }
    if (markdown.length === 1) {
      const file = markdown[0];
      if (file !== undefined) await run(async () => importMarkdown(await file.text(), file.name));
      return;
    }
    for (const file of markdown)
      await run(async () => importMarkdown(await file.text(), file.name), false);
    showToast({ message: `Imported ${markdown.length} documents` });
  };

  // paste markdown anywhere on the page (outside a text field) to import it
  useEffect(() => {
    const handlePaste = (event: ClipboardEvent) => {
      const target = event.target;
      if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
      if (document.querySelector('dialog[open]') !== null) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (!looksLikeMarkdown(text)) return;
      event.preventDefault();
      void run(() => importMarkdown(text));
    };
    document.addEventListener('paste', handlePaste);
    return () => document.removeEventListener('paste', handlePaste);
  });

  const handleDragEnter = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    dragDepth.current++;
    setDragging(true);
  };
  const handleDragLeave = () => {
    dragDepth.current = Math.max(0, dragDepth.current - 1);
    if (dragDepth.current === 0) setDragging(false);
  };
  const handleDrop = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    void importFiles([...event.dataTransfer.files]);
  };

  const docs = load.kind === 'ready' ? load.docs : [];

  return (
    <div
      className="home"
      onDragEnter={handleDragEnter}
      onDragLeave={handleDragLeave}
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes('Files')) event.preventDefault();
      }}
      onDrop={handleDrop}
    >
      <header className="topbar topbar--home">
        <div className="topbar__left">
          <a href="/" className="brand" onClick={handleLinkClick}>
            <span className="brand__mark" aria-hidden="true">
              <svg viewBox="0 0 32 32" width="22" height="22">
                <rect width="32" height="32" rx="8" fill="currentColor" />
                <path
                  d="M9 11h14M9 16h9M9 21h12"
                  stroke="#fff"
                  strokeWidth="2.5"
                  strokeLinecap="round"
                />
              </svg>
            </span>
            <span className="brand__name">syspat</span>
          </a>
        </div>
        <div className="topbar__right">
          {identity !== null && (
            <button
              type="button"
              className="me-chip"
              onClick={onEditIdentity}
              aria-label={`You: ${identity.name}. Change name or colour`}
            >
              <span
                className="avatar avatar--small"
                style={{ '--avatar': identity.color } as CSSProperties}
                aria-hidden="true"
              >
                {initialsOf(identity.name)}
              </span>
              <span>{identity.name}</span>
            </button>
          )}
        </div>
      </header>
      <main className="home__main" id="main">
        <div className="home__intro">
          <div className="home__text">
            <h1 className="home__title">System Patterns</h1>
            <p className="home__lede">
              Architecture documents your team edits together, live. Export clean markdown any time.
            </p>
          </div>
          <div className="home__actions">
            <button
              type="button"
              className="button"
              onClick={() => setPasteOpen(true)}
              disabled={busy}
            >
              <Icon name="paste" />
              <span>Paste</span>
            </button>
            <button
              type="button"
              className="button"
              onClick={() => fileRef.current?.click()}
              disabled={busy}
            >
              <Icon name="upload" />
              <span>Import .md</span>
            </button>
            <button
              type="button"
              className="button button--primary"
              onClick={() => void run(() => createDoc())}
              disabled={busy}
            >
              <Icon name="plus" />
              <span>New document</span>
            </button>
            <input
              ref={fileRef}
              type="file"
              multiple
              accept=".md,.markdown,.txt,text/markdown,text/plain"
              className="visually-hidden"
              tabIndex={-1}
              aria-label="Markdown files to import"
              data-testid="import-file"
              onChange={(event) => {
                const files = [...(event.target.files ?? [])];
                event.target.value = '';
                void importFiles(files);
              }}
            />
          </div>
        </div>

        {load.kind === 'loading' && (
          <div className="doc-list doc-list--loading" role="status" aria-label="Loading documents">
            {[0, 1, 2].map((i) => (
              <div key={i} className="doc-row doc-row--skeleton" />
            ))}
          </div>
        )}
        {load.kind === 'error' && (
          <div className="empty" role="alert">
            <h2>Cannot load documents</h2>
            <p className="muted">{load.message}</p>
            <button type="button" className="button" onClick={refresh}>
              Try again
            </button>
          </div>
        )}
        {load.kind === 'ready' && docs.length === 0 && (
          <div className="empty">
            <div className="empty__art" aria-hidden="true">
              <Icon name="file" size={28} />
            </div>
            <h2>No documents yet</h2>
            <p className="muted">
              Start from the System Patterns template, or drop a markdown file anywhere on this
              page.
            </p>
            <button
              type="button"
              className="button button--primary"
              onClick={() => void run(() => createDoc())}
            >
              <Icon name="plus" />
              <span>New document</span>
            </button>
          </div>
        )}
        {docs.length > 0 && (
          <section aria-labelledby="docs-heading">
            <div className="doc-list__head">
              <h2 id="docs-heading">Documents</h2>
              <span className="muted">
                {docs.length} {docs.length === 1 ? 'document' : 'documents'} · last changed first
              </span>
            </div>
            <ul className="doc-list">
              {docs.map((doc) => (
                <DocRow
                  key={doc.id}
                  doc={doc}
                  busy={busy}
                  onRename={(title) => void run(() => renameWithUndo(doc, title, refresh), false)}
                  onDuplicate={() => void run(() => duplicateDoc(doc), false)}
                  onDelete={() => setToDelete(doc)}
                />
              ))}
            </ul>
          </section>
        )}
        <p className="home__hint muted">
          Tip: drop <kbd>.md</kbd> files on this page or paste markdown to import.
        </p>
      </main>

      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay__panel">
            <Icon name="upload" size={28} />
            <p>Drop markdown to import</p>
          </div>
        </div>
      )}
      {pasteOpen && (
        <PasteDialog
          onClose={() => setPasteOpen(false)}
          onImport={(text) => {
            setPasteOpen(false);
            void run(() => importMarkdown(text));
          }}
        />
      )}
      {toDelete !== null && (
        <ConfirmDelete
          doc={toDelete}
          onClose={() => setToDelete(null)}
          onConfirm={() => {
            const doc = toDelete;
            setToDelete(null);
            deleteDoc(doc.id).then(() => {
              showToast({ message: `Deleted “${doc.title}”` });
              refresh();
            }, showError);
          }}
        />
      )}
    </div>
  );
}

function DocRow({
  doc,
  busy,
  onRename,
  onDuplicate,
  onDelete,
}: {
  readonly doc: DocSummary;
  readonly busy: boolean;
  readonly onRename: (title: string) => void;
  readonly onDuplicate: () => void;
  readonly onDelete: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(doc.title);
  const inputId = useId();
  const commit = () => {
    setEditing(false);
    const next = draft.trim();
    if (next !== '' && next !== doc.title) onRename(next);
    else setDraft(doc.title);
  };
  return (
    <li className="doc-row" data-testid="doc-row">
      <div className="doc-row__icon" aria-hidden="true">
        <Icon name="file" size={18} />
      </div>
      <div className="doc-row__main">
        {editing ? (
          <>
            <label className="visually-hidden" htmlFor={inputId}>
              New name for {doc.title}
            </label>
            <input
              id={inputId}
              className="text-input text-input--inline"
              value={draft}
              maxLength={200}
              autoFocus
              onChange={(event) => setDraft(event.target.value)}
              onBlur={commit}
              onKeyDown={(event) => {
                if (event.key === 'Enter') commit();
                if (event.key === 'Escape') {
                  setDraft(doc.title);
                  setEditing(false);
                }
              }}
            />
          </>
        ) : (
          <a className="doc-row__title" href={docHref(doc.id)} onClick={handleLinkClick}>
            {doc.title}
          </a>
        )}
        <span className="doc-row__meta">
          Edited <time dateTime={doc.updatedAt}>{formatRelative(doc.updatedAt)}</time>
        </span>
      </div>
      <div className="doc-row__actions">
        <button
          type="button"
          className="icon-button"
          aria-label={`Rename ${doc.title}`}
          title="Rename"
          onClick={() => setEditing(true)}
          disabled={busy}
        >
          <Icon name="edit" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={`Duplicate ${doc.title}`}
          title="Duplicate"
          onClick={onDuplicate}
          disabled={busy}
        >
          <Icon name="duplicate" />
        </button>
        <button
          type="button"
          className="icon-button icon-button--danger"
          aria-label={`Delete ${doc.title}`}
          title="Delete"
          onClick={onDelete}
          disabled={busy}
        >
          <Icon name="trash" />
        </button>
      </div>
    </li>
  );
}

function ModalDialog({
  children,
  onClose,
  labelledBy,
  className = 'dialog',
}: {
  readonly children: React.ReactNode;
  readonly onClose: () => void;
  readonly labelledBy: string;
  readonly className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className={className} aria-labelledby={labelledBy} onClose={onClose}>
      {children}
    </dialog>
  );
}

function ConfirmDelete({
  doc,
  onClose,
  onConfirm,
}: {
  readonly doc: DocSummary;
  readonly onClose: () => void;
  readonly onConfirm: () => void;
}) {
  const titleId = useId();
  return (
    <ModalDialog onClose={onClose} labelledBy={titleId}>
      <h2 id={titleId}>Delete “{doc.title}”?</h2>
      <p className="muted">
        Everyone loses access to it, including people editing it right now. This cannot be undone.
      </p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="button button--danger" onClick={onConfirm}>
          Delete document
        </button>
      </div>
    </ModalDialog>
  );
}

function PasteDialog({
  onClose,
  onImport,
}: {
  readonly onClose: () => void;
  readonly onImport: (text: string) => void;
}) {
  const [text, setText] = useState('');
  const titleId = useId();
  const areaId = useId();
  return (
    <ModalDialog onClose={onClose} labelledBy={titleId} className="dialog dialog--wide">
      <h2 id={titleId}>Import from markdown</h2>
      <label className="form-label" htmlFor={areaId}>
        Markdown
      </label>
      <textarea
        id={areaId}
        className="text-area"
        rows={12}
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        placeholder="# System Patterns&#10;&#10;## System Architecture Overview&#10;…"
      />
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={text.trim() === ''}
          onClick={() => onImport(text)}
        >
          Import
        </button>
      </div>
    </ModalDialog>
  );
}
