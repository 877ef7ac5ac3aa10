import { lazy, Suspense, useMemo } from 'react';
import { mermaidFences } from './mermaidFences.ts';

const MermaidPreview = lazy(() =>
  import('./MermaidPreview.tsx').then((m) => ({ default: m.MermaidPreview })),
);

/**
 * Live previews of the mermaid fences a markdown body holds: a diagram written in notes or in
 * a subsection the template does not know is seen as a diagram, while its text stays exactly
 * as written (nothing moves, so the markdown round-trips byte for byte).
 */
export function FencePreviews({
  markdown,
  label,
}: {
  readonly markdown: string;
  readonly label: string;
}) {
  const fences = useMemo(() => mermaidFences(markdown), [markdown]);
  if (fences.length === 0) return null;
  return (
    <Suspense fallback={<figure className="diagram-preview" aria-busy="true" />}>
      {fences.map((code, index) => (
        <MermaidPreview
          // Fences have no id of their own; their order in the body is stable while it is read.
          key={index}
          code={code}
          label={fences.length === 1 ? label : `${label} (diagram ${index + 1})`}
        />
      ))}
    </Suspense>
  );
}
