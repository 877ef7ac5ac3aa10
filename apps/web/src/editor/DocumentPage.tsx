import { memo, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type * as Y from 'yjs';
import { lintDocument, printMarkdown } from '@syspat/markdown';
import { systemPatternsTemplate } from '@syspat/template';
import { getRoot, readModel } from '@syspat/ydoc';
import { Icon } from '../lib/icons.tsx';
import { singleEmphasis } from '../lib/inlineMarkdown.ts';
import type { Identity } from '../lib/identity.ts';
import { handleLinkClick } from '../lib/router.ts';
import { showError, showToast } from '../lib/toasts.ts';
import { CollabText } from './CollabText.tsx';
import { DocSession } from './DocSession.ts';
import { AddButton } from './fields.tsx';
import { Avatars, BackLink, ConnectionStatus, DocTitle, UndoRedo } from './Header.tsx';
import {
  SessionContext,
  useOrderedEntries,
  useSession,
  useSessionState,
  useYArrayChild,
  useYMapChild,
  useYTextChild,
  uidOf,
} from './hooks.ts';
import { createExtraSectionAfter } from './modelEdits.ts';
import { ImportButton } from './ImportButton.tsx';
import { Outline, outlineOf } from './Outline.tsx';
import { extraSectionAnchor, ExtraSectionView, SectionView } from './SectionView.tsx';
import { copyText, downloadText, markdownFileName } from './transfer.ts';
import { useDocumentName } from './useDocumentName.ts';
import { useModelSnapshot } from './useModelSnapshot.ts';

performance.mark('syspat:editor-module');

/** The editor route: one document, live. */
export default function DocumentPage({
  docId,
  identity,
  onEditIdentity,
}: {
  readonly docId: string;
  readonly identity: Identity;
  readonly onEditIdentity: () => void;
}) {
  const [session, setSession] = useState<DocSession | null>(null);

  useEffect(() => {
    const created = new DocSession(docId, identity);
    setSession(created);
    return () => created.destroy();
    // the identity is pushed into the live session below; a new one must not reconnect
  }, [docId]); // identity deliberately left out

  useEffect(() => {
    session?.presence.setIdentity(identity);
  }, [session, identity]);

  if (session === null) return <Loading />;
  return (
    <SessionContext.Provider value={session}>
      <DocumentScreen docId={docId} identity={identity} onEditIdentity={onEditIdentity} />
    </SessionContext.Provider>
  );
}

function Loading({ message = 'Opening document…' }: { readonly message?: string }) {
  return (
    <div className="page-state" role="status" aria-live="polite">
      <div className="spinner" aria-hidden="true" />
      <p>{message}</p>
    </div>
  );
}

function useUndoShortcuts(session: DocSession): void {
  useEffect(() => {
    const handleKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      // plain inputs (renaming, dialogs) keep the browser's own undo
      const target = event.target;
      if (
        (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) &&
        target.dataset.fieldKey === undefined
      )
        return;
      if (target instanceof Element && target.closest('dialog') !== null) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        session.undo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        session.redo();
      }
    };
    // the browser's own undo (Edit menu, some IMEs) must not fight the shared text
    const handleBeforeInput = (event: InputEvent) => {
      if (!(event.target instanceof HTMLElement) || event.target.dataset.fieldKey === undefined)
        return;
      if (event.inputType === 'historyUndo') {
        event.preventDefault();
        session.undo();
      } else if (event.inputType === 'historyRedo') {
        event.preventDefault();
        session.redo();
      }
    };
    window.addEventListener('keydown', handleKeyDown, true);
    window.addEventListener('beforeinput', handleBeforeInput, true);
    return () => {
      window.removeEventListener('keydown', handleKeyDown, true);
      window.removeEventListener('beforeinput', handleBeforeInput, true);
    };
  }, [session]);
}

function DocumentScreen({
  docId,
  identity,
  onEditIdentity,
}: {
  readonly docId: string;
  readonly identity: Identity;
  readonly onEditIdentity: () => void;
}) {
  const session = useSession();
  const state = useSessionState();
  const [previewOpen, setPreviewOpen] = useState(false);
  useUndoShortcuts(session);
  const { name: shownTitle, rename } = useDocumentName(docId);

  useEffect(() => {
    document.title = `${shownTitle} · syspat`;
    return () => {
      document.title = 'syspat';
    };
  }, [shownTitle]);

  const model = useModelSnapshot(session, state.loaded);
  const warnings = useMemo(() => (model === null ? [] : lintDocument(model)), [model]);
  const outline = useMemo(() => outlineOf(model, warnings), [model, warnings]);
  const markdown = useMemo(
    () => (model === null || !previewOpen ? '' : printMarkdown(model)),
    [model, previewOpen],
  );

  // the snapshot may be a few hundred ms old: exports read the live document
  const exportNow = (): string => printMarkdown(readModel(session.ydoc));

  if (state.missing) {
    return (
      <div className="page-state">
        <h1>Document not found</h1>
        <p className="muted">{state.closedReason ?? 'It may have been deleted.'}</p>
        <a className="button button--primary" href="/" onClick={handleLinkClick}>
          Back to documents
        </a>
      </div>
    );
  }

  return (
    <div className={previewOpen ? 'editor editor--preview' : 'editor'}>
      <header className="topbar">
        <div className="topbar__left">
          <BackLink />
          <span className="topbar__divider" aria-hidden="true" />
          <DocTitle title={shownTitle} onRename={rename} />
          <ConnectionStatus />
        </div>
        <div className="topbar__right">
          <Avatars me={identity} onEditMe={onEditIdentity} />
          <span className="topbar__divider" aria-hidden="true" />
          <UndoRedo />
          <ImportButton />
          <button
            type="button"
            className={previewOpen ? 'button button--toggle is-on' : 'button button--toggle'}
            aria-pressed={previewOpen}
            onClick={() => setPreviewOpen(!previewOpen)}
          >
            <Icon name="columns" />
            <span>Markdown</span>
          </button>
          <button
            type="button"
            className="button button--primary"
            onClick={() => downloadText(markdownFileName(shownTitle), exportNow())}
          >
            <Icon name="download" />
            <span>Export .md</span>
          </button>
        </div>
      </header>
      {!state.loaded ? (
        <Loading
          message={
            state.status === 'offline'
              ? 'You are offline and this document is not stored on this device yet.'
              : 'Loading document…'
          }
        />
      ) : (
        <div className="editor__layout">
          <aside className="editor__aside">
            <Outline items={outline} docWarnings={warnings.filter((w) => w.section === null)} />
          </aside>
          <main className="editor__main" id="main">
            <DocumentCanvas />
          </main>
          {previewOpen && (
            <PreviewPane
              markdown={markdown}
              onCopy={() => {
                copyText(exportNow()).then(
                  () => showToast({ message: 'Markdown copied to the clipboard' }),
                  showError,
                );
              }}
              onDownload={() => downloadText(markdownFileName(shownTitle), exportNow())}
              onClose={() => setPreviewOpen(false)}
            />
          )}
        </div>
      )}
    </div>
  );
}

function PreviewPane({
  markdown,
  onCopy,
  onDownload,
  onClose,
}: {
  readonly markdown: string;
  readonly onCopy: () => void;
  readonly onDownload: () => void;
  readonly onClose: () => void;
}) {
  const headingId = useId();
  return (
    <aside className="preview" aria-labelledby={headingId}>
      <div className="preview__bar">
        <h2 id={headingId} className="preview__title">
          Exported markdown
        </h2>
        <div className="preview__actions">
          <button type="button" className="button button--small" onClick={onCopy}>
            <Icon name="copy" size={14} />
            <span>Copy</span>
          </button>
          <button type="button" className="button button--small" onClick={onDownload}>
            <Icon name="download" size={14} />
            <span>Download</span>
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Close preview"
            onClick={onClose}
          >
            <Icon name="x" />
          </button>
        </div>
      </div>
      <pre
        className="preview__code"
        tabIndex={0}
        aria-label="Exported markdown"
        data-testid="markdown-preview"
      >
        {markdown}
      </pre>
    </aside>
  );
}

/** The intro rendered while nobody edits it, when it is one emphasised line (the usual case). */
function introPreview(markdown: string): ReactNode {
  const text = singleEmphasis(markdown);
  return text === null ? null : <em>{text}</em>;
}

/**
 * The document itself: title, intro, sections in template order with extra sections, footer.
 * Memoised: the lint snapshot and connection status re-render the page around it, never it.
 */
const DocumentCanvas = memo(function DocumentCanvas() {
  const session = useSession();
  const root = getRoot(session.ydoc);
  const title = useYTextChild(root, 'title');
  const intro = useYTextChild(root, 'intro');
  const frontMatter = useYTextChild(root, 'frontMatter');
  const footer = useYTextChild(root, 'footer');
  const frontMatterId = useId();
  const footerId = useId();
  const sections = useYMapChild(root, 'sections');
  const extraList = useYArrayChild(root, 'extraSections');
  const extras = useOrderedEntries(extraList);
  const titleId = useId();
  const introId = useId();

  const extrasAfter = (after: string | null) =>
    extras
      .filter((entry) => (entry.get('after') ?? null) === after)
      .map((entry) => <ExtraSectionView key={uidOf(entry)} entry={entry} />);
  const known = new Set<unknown>([null, ...systemPatternsTemplate.sections.map((s) => s.id)]);

  const addExtraSection = () => {
    const id = createExtraSectionAfter(
      session,
      systemPatternsTemplate.sections[systemPatternsTemplate.sections.length - 1]?.id ?? null,
    );
    requestAnimationFrame(() =>
      document.getElementById(extraSectionAnchor(id))?.scrollIntoView({ block: 'center' }),
    );
  };

  return (
    <article className="doc" aria-label="Document">
      {frontMatter !== null && (
        <details className="doc__meta">
          <summary>Front matter</summary>
          <label className="visually-hidden" htmlFor={frontMatterId}>
            Front matter (YAML, with its --- lines)
          </label>
          <CollabText
            id={frontMatterId}
            text={frontMatter}
            path={['frontMatter']}
            multiline
            variant="code"
          />
        </details>
      )}
      <div className="doc__head">
        <label className="visually-hidden" htmlFor={titleId}>
          Document title
        </label>
        <CollabText
          id={titleId}
          text={title}
          path={['title']}
          variant="doc-title"
          placeholder={systemPatternsTemplate.title}
        />
        <label className="visually-hidden" htmlFor={introId}>
          Introduction (markdown)
        </label>
        <CollabText
          id={introId}
          text={intro}
          path={['intro']}
          multiline
          variant="markdown"
          placeholder="A line about this document"
          preview={introPreview}
        />
      </div>
      {sections !== null && (
        <>
          {extrasAfter(null)}
          {systemPatternsTemplate.sections.map((spec, index) => (
            <SectionWithExtras
              key={spec.id}
              index={index}
              spec={spec}
              sections={sections}
              extras={extrasAfter(spec.id)}
            />
          ))}
          {extras
            .filter((entry) => !known.has(entry.get('after') ?? null))
            .map((entry) => (
              <ExtraSectionView key={uidOf(entry)} entry={entry} />
            ))}
        </>
      )}
      <div className="doc__foot">
        <AddButton onClick={addExtraSection}>Section</AddButton>
      </div>
      {footer !== null && (
        <div className="doc__footer">
          <label className="notes__label" htmlFor={footerId}>
            Footer <span className="notes__hint">markdown</span>
          </label>
          <CollabText id={footerId} text={footer} path={['footer']} multiline variant="markdown" />
        </div>
      )}
    </article>
  );
});

function SectionWithExtras({
  spec,
  sections,
  index,
  extras,
}: {
  readonly spec: (typeof systemPatternsTemplate.sections)[number];
  readonly sections: Y.Map<unknown>;
  readonly index: number;
  readonly extras: ReactNode;
}) {
  return (
    <>
      <SectionView spec={spec} sections={sections} index={index} />
      {extras}
    </>
  );
}
