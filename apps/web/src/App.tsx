import { useEffect, useState } from 'react';
import { loadEditor, loadedEditor } from './editorLoader.ts';
import { IdentityDialog } from './IdentityDialog.tsx';
import { DocumentList } from './list/DocumentList.tsx';
import { loadIdentity, saveIdentity, type Identity } from './lib/identity.ts';
import { handleLinkClick, parseRoute, usePathname } from './lib/router.ts';
import { Toasts } from './Toasts.tsx';

export function App() {
  const pathname = usePathname();
  const route = parseRoute(pathname);
  const [identity, setIdentity] = useState<Identity | null>(() => loadIdentity());
  const [editingIdentity, setEditingIdentity] = useState(false);
  const [editor, setEditor] = useState(loadedEditor);
  const [editorError, setEditorError] = useState(false);

  useEffect(() => {
    if (route.name !== 'doc' || editor !== null) return;
    loadEditor().then(setEditor, () => setEditorError(true));
  }, [route.name, editor]);
  const DocumentPage = editor?.default;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {route.name === 'list' && (
        <DocumentList identity={identity} onEditIdentity={() => setEditingIdentity(true)} />
      )}
      {route.name === 'doc' && identity !== null && DocumentPage !== undefined && (
        <DocumentPage
          key={route.id}
          docId={route.id}
          identity={identity}
          onEditIdentity={() => setEditingIdentity(true)}
        />
      )}
      {route.name === 'doc' && DocumentPage === undefined && (
        <div className="page-state" role="status">
          {editorError
            ? 'The editor could not be loaded. Check your connection and reload.'
            : 'Opening document…'}
        </div>
      )}
      {route.name === 'notFound' && (
        <main className="page-state" id="main">
          <h1>Page not found</h1>
          <a className="button button--primary" href="/" onClick={handleLinkClick}>
            Back to documents
          </a>
        </main>
      )}
      {(identity === null || editingIdentity) && (
        <IdentityDialog
          initial={identity}
          onSave={(next) => {
            setIdentity(saveIdentity(next));
            setEditingIdentity(false);
          }}
          {...(identity === null ? {} : { onCancel: () => setEditingIdentity(false) })}
        />
      )}
      <Toasts />
      <div id="announcer" className="visually-hidden" aria-live="polite" />
    </>
  );
}
