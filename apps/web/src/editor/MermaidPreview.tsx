import { useEffect, useState } from 'react';
import type { Mermaid } from 'mermaid';

/**
 * A live preview of a mermaid diagram. mermaid is loaded only when a mermaid block is on screen,
 * renders with `securityLevel: 'strict'`, and its SVG is shown as an `<img>` (a data URL), where
 * no script or event handler in it can run.
 */

let mermaidPromise: Promise<Mermaid> | null = null;

function loadMermaid(): Promise<Mermaid> {
  mermaidPromise ??= import('mermaid').then(({ default: mermaid }) => {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: 'neutral',
      logLevel: 'fatal',
      fontFamily: 'ui-sans-serif, system-ui, sans-serif',
      flowchart: { htmlLabels: false },
      htmlLabels: false,
    });
    return mermaid;
  });
  return mermaidPromise;
}

let renderCount = 0;

type Preview =
  | { readonly kind: 'empty' }
  | { readonly kind: 'svg'; readonly url: string }
  | { readonly kind: 'error'; readonly message: string };

export function MermaidPreview({ code, label }: { readonly code: string; readonly label: string }) {
  const [preview, setPreview] = useState<Preview>({ kind: 'empty' });
  const [pending, setPending] = useState(true);

  useEffect(() => {
    let cancelled = false;
    setPending(true);
    const timer = window.setTimeout(() => {
      if (code.trim() === '') {
        setPreview({ kind: 'empty' });
        setPending(false);
        return;
      }
      void (async () => {
        try {
          const mermaid = await loadMermaid();
          const valid = await mermaid.parse(code, { suppressErrors: true });
          if (cancelled) return;
          if (valid === false) {
            setPreview({ kind: 'error', message: 'The diagram has a syntax error.' });
            return;
          }
          const { svg } = await mermaid.render(`mermaid-preview-${++renderCount}`, code);
          if (cancelled) return;
          setPreview({
            kind: 'svg',
            url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`,
          });
        } catch (error) {
          if (!cancelled) {
            setPreview({
              kind: 'error',
              message:
                error instanceof Error
                  ? (error.message.split('\n')[0] ?? 'Cannot render.')
                  : 'Cannot render.',
            });
          }
        } finally {
          if (!cancelled) setPending(false);
        }
      })();
    }, 350);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [code]);

  return (
    <figure className="diagram-preview" aria-busy={pending}>
      <figcaption className="diagram-preview__caption">Preview</figcaption>
      {preview.kind === 'svg' && (
        <img
          className="diagram-preview__image"
          src={preview.url}
          alt={`Rendered diagram: ${label}`}
        />
      )}
      {preview.kind === 'error' && (
        <p className="diagram-preview__error" role="status">
          {preview.message}
        </p>
      )}
      {preview.kind === 'empty' && (
        <p className="muted">{pending ? 'Rendering…' : 'Write mermaid code to see the diagram.'}</p>
      )}
    </figure>
  );
}
