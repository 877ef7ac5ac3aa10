/**
 * The DOM-free half of drawing other people's carets inside a textarea or input (mirror-element
 * technique): what to put in the mirror, which styles it copies, and how the rectangles it
 * measures map onto the field's visible area.
 *
 * Coordinates are relative to the field's padding box (inside its border), the box the overlay
 * covers, in CSS pixels.
 */

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** The part of the field's content that is on screen. */
export interface View {
  /** `clientWidth` / `clientHeight`: the padding box without scrollbars. */
  readonly width: number;
  readonly height: number;
  readonly scrollLeft: number;
  readonly scrollTop: number;
  /** Added to every measured top (an `<input>` centres its one line vertically). */
  readonly offsetY?: number;
}

export interface CaretPlacement {
  readonly left: number;
  readonly top: number;
  readonly height: number;
  /** The caret is inside the visible area (else it is scrolled away and not drawn). */
  readonly visible: boolean;
}

/** Zero-width space: a measurable marker where there is no character to measure. */
export const MARKER = '\u200b';

export interface MirrorText {
  readonly before: string;
  /** The text of the measured span. */
  readonly marked: string;
  readonly after: string;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * The mirror's content for measuring a caret at `offset`: the character after the caret is
 * wrapped in the measured span, so the line breaks exactly as in the field (an inserted marker
 * inside a word would add a break opportunity); at the end of a line or of the text, where
 * there is no such character, a zero-width space is measured instead.
 */
export function caretMirror(value: string, offset: number): MirrorText {
  const at = Math.max(0, Math.min(value.length, offset));
  const code = value.charCodeAt(at);
  if (at >= value.length || code === 10 || code === 13) {
    return { before: value.slice(0, at), marked: MARKER, after: value.slice(at) };
  }
  const end = isHighSurrogate(code) && at + 1 < value.length ? at + 2 : at + 1;
  return { before: value.slice(0, at), marked: value.slice(at, end), after: value.slice(end) };
}

/** The mirror's content for measuring the selection `from`..`to` (either order). */
export function selectionMirror(value: string, from: number, to: number): MirrorText {
  const start = Math.max(0, Math.min(value.length, Math.min(from, to)));
  const end = Math.max(0, Math.min(value.length, Math.max(from, to)));
  return {
    before: value.slice(0, start),
    marked: value.slice(start, end),
    after: value.slice(end),
  };
}

/** Computed properties that decide where text wraps and how big it is. */
export const MIRROR_PROPERTIES = [
  'direction',
  'font-family',
  'font-size',
  'font-style',
  'font-variant',
  'font-weight',
  'font-stretch',
  'font-kerning',
  'font-feature-settings',
  'font-variation-settings',
  'line-height',
  'letter-spacing',
  'word-spacing',
  'text-align',
  'text-indent',
  'text-transform',
  'text-rendering',
  'tab-size',
  'white-space',
  'overflow-wrap',
  'word-break',
  'hyphens',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
] as const;

/**
 * The mirror's inline style for a field with these computed styles: the same text metrics and
 * padding, no border, as wide as the field's padding box (`clientWidth`), so it lays the text
 * out as the field does. An `<input>` never wraps.
 */
export function mirrorStyle(
  computed: (property: string) => string,
  kind: 'input' | 'textarea',
  clientWidth: number,
): Record<string, string> {
  const style: Record<string, string> = {};
  for (const property of MIRROR_PROPERTIES) style[property] = computed(property);
  style['box-sizing'] = 'border-box';
  style.width = `${Math.max(0, clientWidth)}px`;
  if (kind === 'input') {
    style['white-space'] = 'pre';
    style['overflow-wrap'] = 'normal';
    style['word-break'] = 'normal';
  }
  return style;
}

/**
 * Where a caret measured at `marker` (a client rect) is in the field's visible area, given the
 * mirror's own client rect (its padding box lines up with the field's).
 */
export function placeCaret(
  marker: Box,
  mirror: Pick<Box, 'left' | 'top'>,
  view: View,
): CaretPlacement {
  const left = marker.left - mirror.left - view.scrollLeft;
  const top = marker.top - mirror.top - view.scrollTop + (view.offsetY ?? 0);
  const height = marker.height;
  const middle = top + height / 2;
  const visible =
    left >= -1 && left <= view.width + 1 && middle >= 0 && middle <= view.height && height > 0;
  return { left: round(left), top: round(top), height: round(height), visible };
}

/**
 * The selection's line rectangles in the visible area, clipped to it; empty ones dropped. Text
 * rectangles are as tall as the font; with `lineHeight` each grows to its whole line (centred,
 * as the browser lays out a line), so a selection over several lines has no gaps.
 */
export function placeSelection(
  rects: readonly Box[],
  mirror: Pick<Box, 'left' | 'top'>,
  view: View,
  lineHeight = 0,
): Box[] {
  const boxes: Box[] = [];
  for (const text of rects) {
    const grow = Math.max(0, lineHeight - text.height);
    // not `...text`: a DOMRect's sides are getters, which spreading drops
    const rect = {
      left: text.left,
      width: text.width,
      top: text.top - grow / 2,
      height: text.height + grow,
    };
    const left = Math.max(0, rect.left - mirror.left - view.scrollLeft);
    const top = Math.max(0, rect.top - mirror.top - view.scrollTop + (view.offsetY ?? 0));
    const right = Math.min(view.width, rect.left + rect.width - mirror.left - view.scrollLeft);
    const bottom = Math.min(
      view.height,
      rect.top + rect.height - mirror.top - view.scrollTop + (view.offsetY ?? 0),
    );
    if (right - left < 0.5 || bottom - top < 0.5) continue;
    boxes.push({
      left: round(left),
      top: round(top),
      width: round(right - left),
      height: round(bottom - top),
    });
  }
  return boxes;
}

/** Room a name label needs to the right of the caret before it flips to the left side. */
export const LABEL_ROOM = 120;

/** Which way the name label extends from the caret, so it stays over the field. */
export function labelSide(left: number, width: number, room = LABEL_ROOM): 'start' | 'end' {
  return left + room > width && left > room / 2 ? 'end' : 'start';
}

/** Vertical offset of an `<input>`'s line: it is centred in the content box. */
export function inputOffsetY(clientHeight: number, mirrorHeight: number): number {
  return Math.max(0, (clientHeight - mirrorHeight) / 2);
}

const round = (value: number): number => Math.round(value * 100) / 100;
