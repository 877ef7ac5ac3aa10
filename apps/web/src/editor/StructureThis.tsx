import { useEffect, useState } from 'react';
import { readModel } from '@syspat/ydoc';
import { Icon } from '../lib/icons.tsx';
import { applyStructure, loadSuggestions } from './applyStructure.ts';
import { useSession } from './hooks.ts';
import { StructureDialog } from './StructureDialog.tsx';
import type { Suggestion } from './structureSuggestion.ts';

/** How long notes must rest before they are re-read for something to structure. */
const SETTLE_MS = 400;

/**
 * Offered under a section's notes when they hold something the template has a place for
 * (cards, a table, a list, a fence): "Turn these 7 items into component cards". Nothing happens
 * until the person has seen the preview and chosen Apply.
 */
export function StructureThis({
  sectionId,
  notes,
}: {
  readonly sectionId: string;
  /** The notes' current text: the offer is re-read when it changes. */
  readonly notes: string;
}) {
  const session = useSession();
  const [suggestion, setSuggestion] = useState<Suggestion | null>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (notes.trim() === '') {
      setSuggestion(null);
      return;
    }
    let cancelled = false;
    const timer = window.setTimeout(() => {
      void loadSuggestions().then(({ suggestForNotes }) => {
        if (!cancelled) setSuggestion(suggestForNotes(readModel(session.ydoc), sectionId));
      });
    }, SETTLE_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [notes, sectionId, session]);

  if (suggestion === null) return null;
  return (
    <div className="structure">
      <button
        type="button"
        className="button button--small structure__offer"
        onClick={() => setOpen(true)}
      >
        <Icon name="wand" size={14} />
        <span>Structure this: {suggestion.label}</span>
      </button>
      {open && (
        <StructureDialog
          suggestion={suggestion}
          onClose={() => setOpen(false)}
          onApply={() => applyStructure(session, suggestion.label, suggestion.apply)}
        />
      )}
    </div>
  );
}
