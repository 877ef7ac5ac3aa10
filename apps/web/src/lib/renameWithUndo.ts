import { renameDoc, type DocSummary } from './api.ts';
import { showError, showToast } from './toasts.ts';

/**
 * Renames a document from the list (the server rewrites its `#` heading too) and offers Undo,
 * which renames it back the same way. `onChange` refreshes whoever shows the name.
 */
export async function renameWithUndo(
  doc: DocSummary,
  title: string,
  onChange: () => void,
): Promise<DocSummary> {
  const renamed = await renameDoc(doc.id, title);
  showToast({
    message: `Renamed “${doc.title}” to “${renamed.title}”`,
    action: {
      label: 'Undo',
      run: () => {
        renameDoc(doc.id, doc.title).then(onChange, showError);
      },
    },
  });
  return renamed;
}
