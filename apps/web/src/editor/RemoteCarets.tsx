import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type CSSProperties,
  type RefObject,
} from 'react';
import type * as Y from 'yjs';
import {
  caretMirror,
  inputOffsetY,
  labelSide,
  mirrorStyle,
  placeCaret,
  placeSelection,
  selectionMirror,
  type Box,
  type MirrorText,
  type View,
} from '../lib/caretGeometry.ts';
import { resolveCaret } from '../lib/caretPosition.ts';
import { isSafeColor } from '../lib/identity.ts';
import { useSession } from './hooks.ts';
import type { PeerCaret } from './PresenceStore.ts';

/**
 * Other people's carets (and selections) inside one text field. Mounted only for a field that
 * has remote carets: an overlay over the field's padding box, and a hidden mirror element with
 * the field's text metrics in which each caret's character is measured. Positions come from
 * awareness as Yjs relative positions and are resolved against the field's Y.Text on every
 * change, so a caret stays on its character while anyone types. Re-measured (at most once a
 * frame) when the carets move, the text changes, the field scrolls or is resized.
 */

export type FieldElement = HTMLTextAreaElement | HTMLInputElement;

/** Carets drawn in one field at most (each is measured every frame the field changes). */
export const MAX_CARETS_PER_FIELD = 12;

export interface RemoteCaretsProps {
  readonly field: RefObject<FieldElement | null>;
  readonly text: Y.Text;
  readonly fieldKey: string;
  /** Client ids whose caret is drawn (comma-separated): their field-level name tag can go. */
  readonly onShown: (clientIds: string) => void;
}

export function RemoteCarets(props: RemoteCaretsProps) {
  const { presence } = useSession();
  const carets = useSyncExternalStore(presence.subscribe, () => presence.caretsIn(props.fieldKey));
  if (carets.length === 0) return null;
  return <CaretOverlay {...props} carets={carets} />;
}

interface CaretView {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  readonly anchor: number;
  readonly head: number;
  readonly left: number;
  readonly top: number;
  readonly height: number;
  readonly side: 'start' | 'end';
  readonly selection: readonly Box[];
}

interface OverlayLayout {
  /** The field's padding box, relative to the `.collab` wrapper. */
  readonly box: Box;
  readonly carets: readonly CaretView[];
}

function CaretOverlay({
  field,
  text,
  carets,
  onShown,
}: RemoteCaretsProps & { readonly carets: readonly PeerCaret[] }) {
  const session = useSession();
  const mirrorRef = useRef<HTMLDivElement>(null);
  const [layout, setLayout] = useState<OverlayLayout | null>(null);
  const caretsRef = useRef(carets);
  caretsRef.current = carets;
  const measureRef = useRef<(() => void) | null>(null);

  useLayoutEffect(() => {
    const element = field.current;
    const mirror = mirrorRef.current;
    if (element === null || mirror === null) return;
    let frame = 0;
    const measure = () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      frame = 0;
      const next = measureLayout(element, mirror, text, session.ydoc, caretsRef.current);
      setLayout((previous) => (sameLayout(previous, next) ? previous : next));
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    measureRef.current = measure;
    text.observe(schedule);
    element.addEventListener('scroll', schedule);
    element.addEventListener('input', schedule);
    const resize = new ResizeObserver(schedule);
    resize.observe(element);
    document.fonts.addEventListener('loadingdone', schedule);
    return () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      measureRef.current = null;
      text.unobserve(schedule);
      element.removeEventListener('scroll', schedule);
      element.removeEventListener('input', schedule);
      resize.disconnect();
      document.fonts.removeEventListener('loadingdone', schedule);
    };
  }, [field, text, session]);

  // measured before paint when the carets move, so a caret never shows at its old place
  useLayoutEffect(() => measureRef.current?.(), [carets]);

  const shown = layout === null ? '' : layout.carets.map((c) => c.clientId).join(',');
  useEffect(() => onShown(shown), [shown, onShown]);
  useEffect(() => () => onShown(''), [onShown]);

  const box = layout?.box;
  return (
    <div
      className="carets"
      aria-hidden="true"
      data-testid="remote-carets"
      style={
        box === undefined
          ? { visibility: 'hidden' }
          : { left: box.left, top: box.top, width: box.width, height: box.height }
      }
    >
      <div className="carets__clip">
        <div className="carets__mirror" ref={mirrorRef} />
        {layout?.carets.map((caret) =>
          caret.selection.map((rect, index) => (
            <div
              key={`${caret.clientId}:${index}`}
              className="carets__selection"
              data-testid="remote-selection"
              style={{
                left: rect.left,
                top: rect.top,
                width: rect.width,
                height: rect.height,
                background: `${caret.color}4d`,
              }}
            />
          )),
        )}
      </div>
      {layout?.carets.map((caret) => (
        <div
          key={caret.clientId}
          className={`carets__caret carets__caret--${caret.side}`}
          data-testid="remote-caret"
          data-client={caret.clientId}
          data-offset={caret.head}
          data-anchor={caret.anchor}
          style={
            {
              left: caret.left,
              top: caret.top,
              height: caret.height,
              '--peer': caret.color,
            } as CSSProperties
          }
        >
          <span className="carets__label">{caret.name}</span>
        </div>
      ))}
    </div>
  );
}

/** Lays out every caret that resolves in `text` and is inside the visible part of the field. */
function measureLayout(
  element: FieldElement,
  mirror: HTMLDivElement,
  text: Y.Text,
  ydoc: Y.Doc,
  carets: readonly PeerCaret[],
): OverlayLayout {
  const box: Box = {
    left: element.offsetLeft + element.clientLeft,
    top: element.offsetTop + element.clientTop,
    width: element.clientWidth,
    height: element.clientHeight,
  };
  const resolved = carets.slice(0, MAX_CARETS_PER_FIELD).flatMap((peer) => {
    const at = resolveCaret(ydoc, text, peer.caret);
    return at === null ? [] : [{ peer, at }];
  });
  if (resolved.length === 0) {
    mirror.replaceChildren();
    return { box, carets: [] };
  }

  const computed = getComputedStyle(element);
  const kind = element instanceof HTMLInputElement ? 'input' : 'textarea';
  const style = mirrorStyle((property) => computed.getPropertyValue(property), kind, box.width);
  for (const [property, value] of Object.entries(style)) mirror.style.setProperty(property, value);
  const value = element.value;
  let offsetY = 0;
  if (kind === 'input') {
    fill(mirror, caretMirror('', 0));
    offsetY = inputOffsetY(element.clientHeight, mirror.offsetHeight);
  }
  // `normal` (NaN) leaves selection rectangles as tall as the text
  const lineHeight = parseFloat(computed.lineHeight) || 0;
  const view: View = {
    width: box.width,
    height: box.height,
    scrollLeft: element.scrollLeft,
    scrollTop: element.scrollTop,
    offsetY,
  };

  const views: CaretView[] = [];
  for (const { peer, at } of resolved) {
    const head = Math.min(at.head, value.length);
    const anchor = Math.min(at.anchor, value.length);
    const marker = fill(mirror, caretMirror(value, head));
    const origin = mirror.getBoundingClientRect();
    const rect = marker.getClientRects()[0] ?? marker.getBoundingClientRect();
    const caret = placeCaret(rect, origin, view);
    if (!caret.visible) continue;
    let selection: Box[] = [];
    if (anchor !== head) {
      const span = fill(mirror, selectionMirror(value, anchor, head));
      selection = placeSelection([...span.getClientRects()], origin, view, lineHeight);
    }
    views.push({
      clientId: peer.clientId,
      name: peer.name,
      color: isSafeColor(peer.color) ? peer.color : '#6f6e77',
      anchor,
      head,
      left: caret.left,
      top: caret.top,
      height: caret.height,
      side: labelSide(caret.left, view.width),
      selection,
    });
  }
  mirror.replaceChildren();
  return { box, carets: views };
}

/** Puts `text` in the mirror with its `marked` part in a span, and returns the span. */
function fill(mirror: HTMLDivElement, text: MirrorText): HTMLSpanElement {
  const span = document.createElement('span');
  span.textContent = text.marked;
  mirror.replaceChildren(text.before, span, text.after);
  return span;
}

function sameLayout(a: OverlayLayout | null, b: OverlayLayout): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}
