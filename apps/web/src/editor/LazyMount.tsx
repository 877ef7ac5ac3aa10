import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Mounts its children once they come near the viewport, and keeps them mounted. Until then a
 * placeholder of about the right height holds their place, so a 200-card document opens with
 * only the first screen of editors bound to the Y.Doc.
 */

type Callback = () => void;
const callbacks = new WeakMap<Element, Callback>();
let observer: IntersectionObserver | null = null;

function observe(element: Element, callback: Callback): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    callback();
    return () => {};
  }
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        callbacks.get(entry.target)?.();
      }
    },
    { rootMargin: '800px 0px' },
  );
  callbacks.set(element, callback);
  observer.observe(element);
  return () => {
    callbacks.delete(element);
    observer?.unobserve(element);
  };
}

export interface LazyMountProps {
  readonly children: ReactNode;
  /** Estimated height in px of the children, for the placeholder. */
  readonly estimate: number;
  /** Mount at once (e.g. the first few cards). */
  readonly eager?: boolean;
  /** Render the placeholder as a table row with this many cells. */
  readonly tableColumns?: number;
}

export function LazyMount({ children, estimate, eager = false, tableColumns }: LazyMountProps) {
  const [mounted, setMounted] = useState(eager);
  const ref = useRef<HTMLDivElement & HTMLTableRowElement>(null);

  useEffect(() => {
    if (mounted || ref.current === null) return;
    return observe(ref.current, () => setMounted(true));
  }, [mounted]);

  if (mounted) return children;
  const style = { height: `${estimate}px` };
  if (tableColumns !== undefined) {
    return (
      <tr ref={ref} className="lazy-placeholder" style={style} aria-hidden="true">
        <td colSpan={tableColumns} />
      </tr>
    );
  }
  return <div ref={ref} className="lazy-placeholder" style={style} aria-hidden="true" />;
}
