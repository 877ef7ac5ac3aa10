import { lazy, Suspense, useState } from 'react';
import { IdentityDialog } from './IdentityDialog.tsx';
import { DocumentList } from './list/DocumentList.tsx';
import { loadIdentity, saveIdentity, type Identity } from './lib/identity.ts';
import { handleLinkClick, parseRoute, usePathname } from './lib/router.ts';
import { Toasts } from './Toasts.tsx';

const DocumentPage = lazy(() => import('./editor/DocumentPage.tsx'));

export function App() {
  const pathname = usePathname();
  const route = parseRoute(pathname);
  const [identity, setIdentity] = useState<Identity | null>(() => loadIdentity());
  const [editingIdentity, setEditingIdentity] = useState(false);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {route.name === 'list' && (
        <DocumentList identity={identity} onEditIdentity={() => setEditingIdentity(true)} />
      )}
      {route.name === 'doc' && identity !== null && (
        <Suspense
          fallback={
            <div className="page-state" role="status">
              Opening document…
            </div>
          }
        >
          <DocumentPage
            key={route.id}
            docId={route.id}
            identity={identity}
            onEditIdentity={() => setEditingIdentity(true)}
          />
        </Suspense>
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
