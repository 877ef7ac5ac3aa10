import { useEffect, useRef, useState } from 'react';
import { Icon } from '../lib/icons.tsx';
import { showImportReport } from '../lib/importMarkdown.ts';
import { showError, showToast } from '../lib/toasts.ts';
import { useSession } from './hooks.ts';
import { importIntoDocument, isMarkdownFile } from './transfer.ts';

/**
 * Import into the open document: pick a file, see what it holds ("3 components, 1 diagram; …")
 * and confirm; the import is one undoable step. The parser loads when a file is picked.
 */
export function ImportButton() {
  const session = useSession();
  const inputRef = useRef<HTMLInputElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [pending, setPending] = useState<{ name: string; text: string } | null>(null);
  const [found, setFound] = useState<string | null>(null);

  useEffect(() => {
    setFound(null);
    if (pending === null) return;
    let cancelled = false;
    void import('./parseMarkdown.ts').then(({ importReport, parseMarkdown }) => {
      if (!cancelled) setFound(importReport(parseMarkdown(pending.text)).text);
    });
    return () => {
      cancelled = true;
    };
  }, [pending]);

  const apply = () => {
    const file = pending;
    dialogRef.current?.close();
    setPending(null);
    if (file === null) return;
    importIntoDocument(session, file.text).then(
      (report) => showImportReport(`${file.name} (Undo reverts it)`, report),
      showError,
    );
  };

  return (
    <>
      <button type="button" className="button" onClick={() => inputRef.current?.click()}>
        <Icon name="upload" />
        <span>Import</span>
      </button>
      <input
        ref={inputRef}
        type="file"
        accept=".md,.markdown,.txt,text/markdown,text/plain"
        className="visually-hidden"
        tabIndex={-1}
        aria-label="Markdown file to import into this document"
        data-testid="import-into-document"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file === undefined) return;
          if (!isMarkdownFile(file)) {
            showToast({ message: `${file.name} is not a markdown file.`, tone: 'error' });
            return;
          }
          void file.text().then((text) => {
            setPending({ name: file.name, text });
            dialogRef.current?.showModal();
          });
        }}
      />
      <dialog
        ref={dialogRef}
        className="dialog"
        aria-labelledby="import-title"
        onClose={() => setPending(null)}
      >
        <h2 id="import-title">Import into this document?</h2>
        <p>
          The document will be changed to match <strong>{pending?.name}</strong>. Only what differs
          is written, so edits others are making right now are kept. You can undo the import.
        </p>
        <p data-testid="import-preview">
          {found === null ? 'Reading the file…' : `It holds: ${found}.`}
        </p>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={() => dialogRef.current?.close()}>
            Cancel
          </button>
          <button type="button" className="button button--primary" onClick={apply}>
            Import
          </button>
        </div>
      </dialog>
    </>
  );
}
