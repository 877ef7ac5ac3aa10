import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { loadEditor } from './editorLoader.ts';
import { parseRoute } from './lib/router.ts';
import './styles.css';

performance.mark('syspat:main');
const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
// opening a document: fetch the editor before the first render, so nothing waits on Suspense
if (parseRoute(location.pathname).name === 'doc') await loadEditor().catch(() => undefined);
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
