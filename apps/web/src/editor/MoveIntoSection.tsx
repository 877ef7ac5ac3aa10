import { useEffect, useId, useRef, useState } from 'react';
import { systemPatternsTemplate } from '@syspat/template';
import { readModel } from '@syspat/ydoc';
import { Icon } from '../lib/icons.tsx';
import { applyStructure, loadSuggestions } from './applyStructure.ts';
import { useSession } from './hooks.ts';
import { StructureDialog } from './StructureDialog.tsx';
import type { MoveSource, Suggestion } from './structureSuggestion.ts';

/**
 * An extra section or unknown subsection moved into a template section: its body is read as
 * that section's content, with a preview of what lands where before anything moves.
 */
export function MoveIntoSection({
  source,
  after,
}: {
  readonly source: MoveSource;
  /** The known section it follows: the first guess for where it belongs. */
  readonly after: string | null;
}) {
  const session = useSession();
  const selectId = useId();
  const sections = systemPatternsTemplate.sections;
  const [target, setTarget] = useState<string | null>(null);
  const [suggestion, setSuggestion] = useState<Suggestion | null>(null);
  // callers pass a fresh object each render: the preview is re-read when what it names changes
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const sourceKey = `${source.kind}/${source.id}`;

  useEffect(() => {
    if (target === null) return;
    let cancelled = false;
    void loadSuggestions().then(({ suggestMove }) => {
      if (!cancelled)
        setSuggestion(suggestMove(readModel(session.ydoc), sourceRef.current, target));
    });
    return () => {
      cancelled = true;
    };
  }, [target, sourceKey, session]);

  return (
    <>
      <button
        type="button"
        className="button button--small"
        onClick={() => setTarget(after ?? sections[0]?.id ?? null)}
      >
        <Icon name="wand" size={14} />
        <span>Move into a section</span>
      </button>
      {target !== null && (
        <StructureDialog
          suggestion={suggestion}
          onClose={() => {
            setTarget(null);
            setSuggestion(null);
          }}
          onApply={() => {
            if (suggestion !== null) applyStructure(session, suggestion.label, suggestion.apply);
          }}
        >
          <label className="form-label" htmlFor={selectId}>
            Template section
          </label>
          <select
            id={selectId}
            className="text-input"
            value={target}
            onChange={(event) => setTarget(event.target.value)}
          >
            {sections.map((spec) => (
              <option key={spec.id} value={spec.id}>
                {spec.heading}
              </option>
            ))}
          </select>
        </StructureDialog>
      )}
    </>
  );
}
