import { useEffect, useId, useRef } from 'react';
import type { Suggestion } from './structureSuggestion.ts';

/**
 * Shows what "Structure this" will do before it does it: the offer, one line per change, and
 * that Undo reverts it. `children` holds extra choices (the target section of a move).
 */
export function StructureDialog({
  suggestion,
  onApply,
  onClose,
  children,
}: {
  readonly suggestion: Suggestion | null;
  readonly onApply: () => void;
  readonly onClose: () => void;
  readonly children?: React.ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog dialog--wide" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>Structure this</h2>
      {children}
      {suggestion === null ? (
        <p>Nothing here can be placed in that section&apos;s fields; it would all stay notes.</p>
      ) : (
        <>
          <p>
            <strong>{suggestion.label}.</strong> What will happen:
          </p>
          <ul className="structure__preview" data-testid="structure-preview">
            {suggestion.preview.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className="muted">Every word is kept. Undo reverts it in one step, for you only.</p>
        </>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={() => ref.current?.close()}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={suggestion === null}
          onClick={() => {
            ref.current?.close();
            onApply();
          }}
        >
          Apply
        </button>
      </div>
    </dialog>
  );
}
