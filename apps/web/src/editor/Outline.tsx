import { useEffect, useState, type CSSProperties } from 'react';
import { sectionState, type LintWarning, type SectionState } from '@syspat/markdown';
import type { SyspatDocument } from '@syspat/model';
import { systemPatternsTemplate } from '@syspat/template';
import { Icon } from '../lib/icons.tsx';
import { usePeers } from './hooks.ts';
import type { Peer } from './PresenceStore.ts';
import { extraSectionAnchor, sectionAnchor } from './SectionView.tsx';

/** The outline row of a section (known or extra), in document order. */
export interface OutlineItem {
  readonly key: string;
  readonly anchor: string;
  readonly heading: string;
  readonly present: boolean;
  readonly extra: boolean;
  /** Structured, notes only, empty or absent: what a reader finds there. Extra sections are notes. */
  readonly state: SectionState;
  readonly warnings: readonly LintWarning[];
}

/** Words for the states that are not yet a form; a structured section needs none. */
const STATE_LABEL: Readonly<Record<SectionState, string | null>> = {
  structured: null,
  'notes-only': 'notes only',
  empty: 'empty',
  absent: null,
};

export function outlineOf(
  model: SyspatDocument | null,
  warnings: readonly LintWarning[],
): OutlineItem[] {
  const items: OutlineItem[] = [];
  const extras = model?.extraSections ?? [];
  const pushExtras = (after: string | null) => {
    for (const extra of extras) {
      if (extra.after !== after) continue;
      items.push({
        key: `extra:${extra.id}`,
        anchor: extraSectionAnchor(extra.id),
        heading: extra.heading.trim() === '' ? 'Untitled section' : extra.heading,
        present: true,
        extra: true,
        state: extra.body.trim() === '' ? 'empty' : 'notes-only',
        warnings: [],
      });
    }
  };
  pushExtras(null);
  for (const spec of systemPatternsTemplate.sections) {
    items.push({
      key: spec.id,
      anchor: sectionAnchor(spec.id),
      heading: spec.heading,
      present: model === null || model.sections[spec.id] != null,
      extra: false,
      // before the first snapshot nothing is known: show the section plainly, not as empty
      state: model === null ? 'structured' : sectionState(model.sections[spec.id], spec),
      warnings: warnings.filter((w) => w.section === spec.id),
    });
    pushExtras(spec.id);
  }
  // extras whose `after` names no known section go last
  const known = new Set<string | null>([null, ...systemPatternsTemplate.sections.map((s) => s.id)]);
  for (const extra of extras) {
    if (!known.has(extra.after)) pushExtras(extra.after);
  }
  return items;
}

/**
 * Scrolls a section to the top and focuses it. Sections on the way mount as they come near
 * the viewport and push it down, so the scroll is repeated for a few frames until it holds.
 */
export function jumpTo(anchor: string): void {
  const target = document.getElementById(anchor);
  if (target === null) return;
  let frames = 0;
  let lastTop = Number.NaN;
  const settle = () => {
    const top = target.getBoundingClientRect().top;
    if (top !== lastTop || frames < 2) {
      lastTop = top;
      target.scrollIntoView({ block: 'start' });
      if (++frames < 20) requestAnimationFrame(settle);
    }
  };
  settle();
  target.focus({ preventScroll: true });
  history.replaceState(null, '', `#${anchor}`);
}

function peersBySection(peers: readonly Peer[]): Map<string, Peer[]> {
  const map = new Map<string, Peer[]>();
  for (const peer of peers) {
    const parts = peer.field?.split('/') ?? [];
    const key =
      parts[0] === 'sections'
        ? parts[1]
        : parts[0] === 'extraSections'
          ? `extra:${parts[1] ?? ''}`
          : undefined;
    if (key === undefined) continue;
    map.set(key, [...(map.get(key) ?? []), peer]);
  }
  return map;
}

/** The anchor of the section under the top of the viewport (scroll spy). */
function useActiveAnchor(anchors: readonly string[]): string | null {
  const [active, setActive] = useState<string | null>(null);
  const key = anchors.join(' ');
  useEffect(() => {
    const list = key.split(' ');
    let frame = 0;
    const update = () => {
      frame = 0;
      const line = Math.max(140, window.innerHeight * 0.3);
      let current: string | null = null;
      for (const anchor of list) {
        const element = document.getElementById(anchor);
        if (element === null) continue;
        if (element.getBoundingClientRect().top <= line) current = anchor;
        else break;
      }
      setActive(current ?? list[0] ?? null);
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(update);
    };
    update();
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [key]);
  return active;
}

export function Outline({
  items,
  docWarnings,
}: {
  readonly items: readonly OutlineItem[];
  readonly docWarnings: readonly LintWarning[];
}) {
  const [open, setOpen] = useState<string | null>(null);
  const peers = peersBySection(usePeers());
  const total = items.reduce((n, item) => n + item.warnings.length, 0) + docWarnings.length;
  const active = useActiveAnchor(items.map((item) => item.anchor));
  // the summary on top already says every section is empty: twelve "empty" tags add nothing
  const unfilled = docWarnings.some((w) => w.rule === 'unfilled-template');
  return (
    <nav className="outline" aria-label="Sections">
      <div className="outline__title">
        <span>Outline</span>
        <span className={total === 0 ? 'outline__total outline__total--done' : 'outline__total'}>
          {total === 0 ? 'Complete' : `${total} to review`}
        </span>
      </div>
      {docWarnings.map((warning) => (
        <p key={warning.rule} className="outline__summary" role="note">
          {warning.message}
        </p>
      ))}
      <ol className="outline__list">
        {items.map((item) => {
          const errors = item.warnings.filter((w) => w.severity === 'error').length;
          const here = peers.get(item.key) ?? [];
          const expanded = open === item.key;
          return (
            <li
              key={item.key}
              className={item.present ? 'outline__item' : 'outline__item outline__item--absent'}
              data-state={item.state}
            >
              <div className="outline__row">
                <a
                  href={`#${item.anchor}`}
                  className="outline__link"
                  aria-current={active === item.anchor ? 'location' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    jumpTo(item.anchor);
                  }}
                >
                  <span className="outline__heading">{item.heading}</span>
                  {item.extra && <span className="outline__tag">extra</span>}
                  {!item.extra &&
                    !(unfilled && item.state === 'empty') &&
                    STATE_LABEL[item.state] !== null && (
                      <span className={`outline__state outline__state--${item.state}`}>
                        {STATE_LABEL[item.state]}
                      </span>
                    )}
                </a>
                {here.length > 0 && (
                  <span
                    className="outline__peers"
                    aria-label={`Here: ${here.map((p) => p.name).join(', ')}`}
                  >
                    {here.slice(0, 3).map((p) => (
                      <span
                        key={p.clientId}
                        className="outline__peer"
                        style={{ '--peer': p.color } as CSSProperties}
                      />
                    ))}
                  </span>
                )}
                {item.warnings.length > 0 ? (
                  <button
                    type="button"
                    className={
                      errors > 0 ? 'outline__badge outline__badge--error' : 'outline__badge'
                    }
                    aria-expanded={expanded}
                    aria-label={`${item.warnings.length} ${item.warnings.length === 1 ? 'warning' : 'warnings'} in ${item.heading}`}
                    onClick={() => setOpen(expanded ? null : item.key)}
                  >
                    {item.warnings.length}
                  </button>
                ) : item.present && item.state === 'structured' ? (
                  <span className="outline__done" aria-label="No warnings">
                    <Icon name="check" size={12} />
                  </span>
                ) : null}
              </div>
              {expanded && (
                <ul className="outline__warnings">
                  {item.warnings.map((warning, i) => (
                    <li key={i}>
                      <button
                        type="button"
                        className={`outline__warning outline__warning--${warning.severity}`}
                        onClick={() => jumpTo(item.anchor)}
                        title={warning.message}
                      >
                        {warning.where}
                        <span className="outline__rule">{warning.message}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
