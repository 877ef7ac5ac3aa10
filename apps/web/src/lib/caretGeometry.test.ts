import { describe, expect, it } from 'vitest';
import {
  MARKER,
  MIRROR_PROPERTIES,
  caretMirror,
  inputOffsetY,
  labelSide,
  mirrorStyle,
  placeCaret,
  placeSelection,
  selectionMirror,
  type View,
} from './caretGeometry.ts';

const view: View = { width: 300, height: 60, scrollLeft: 0, scrollTop: 0 };
const mirror = { left: 100, top: 200 };

describe('caretMirror', () => {
  it('measures the character after the caret, so the line breaks as in the field', () => {
    expect(caretMirror('hello world', 6)).toEqual({
      before: 'hello ',
      marked: 'w',
      after: 'orld',
    });
  });

  it('measures a zero-width marker at the end of a line or of the text', () => {
    expect(caretMirror('ab\ncd', 2)).toEqual({ before: 'ab', marked: MARKER, after: '\ncd' });
    expect(caretMirror('ab\n', 3)).toEqual({ before: 'ab\n', marked: MARKER, after: '' });
    expect(caretMirror('', 0)).toEqual({ before: '', marked: MARKER, after: '' });
  });

  it('keeps a surrogate pair whole and clamps offsets', () => {
    expect(caretMirror('a😀b', 1)).toEqual({ before: 'a', marked: '😀', after: 'b' });
    expect(caretMirror('abc', 99).before).toBe('abc');
    expect(caretMirror('abc', -4)).toEqual({ before: '', marked: 'a', after: 'bc' });
  });
});

describe('selectionMirror', () => {
  it('marks the selected text whichever way it was selected', () => {
    const forward = selectionMirror('one two three', 4, 7);
    expect(forward).toEqual({ before: 'one ', marked: 'two', after: ' three' });
    expect(selectionMirror('one two three', 7, 4)).toEqual(forward);
    expect(selectionMirror('abc', 1, 50)).toEqual({ before: 'a', marked: 'bc', after: '' });
  });
});

describe('mirrorStyle', () => {
  const computed = (property: string) => `computed(${property})`;

  it('copies the text metrics and padding and is as wide as the padding box', () => {
    const style = mirrorStyle(computed, 'textarea', 412);
    for (const property of MIRROR_PROPERTIES) expect(style[property]).toBe(`computed(${property})`);
    expect(style.width).toBe('412px');
    expect(style['box-sizing']).toBe('border-box');
  });

  it('never wraps for an input', () => {
    const style = mirrorStyle(computed, 'input', 200);
    expect(style['white-space']).toBe('pre');
    expect(style['overflow-wrap']).toBe('normal');
  });
});

describe('placeCaret', () => {
  it('is relative to the padding box, minus the scroll offset', () => {
    const marker = { left: 130, top: 224, width: 8, height: 18 };
    expect(placeCaret(marker, mirror, view)).toEqual({
      left: 30,
      top: 24,
      height: 18,
      visible: true,
    });
    expect(placeCaret(marker, mirror, { ...view, scrollLeft: 10, scrollTop: 20 })).toEqual({
      left: 20,
      top: 4,
      height: 18,
      visible: true,
    });
  });

  it('is not visible when scrolled out of the field', () => {
    const marker = { left: 130, top: 224, width: 8, height: 18 };
    expect(placeCaret(marker, mirror, { ...view, scrollTop: 40 }).visible).toBe(false);
    expect(placeCaret(marker, mirror, { ...view, scrollLeft: 60 }).visible).toBe(false);
    expect(placeCaret({ ...marker, left: 450 }, mirror, view).visible).toBe(false);
    expect(placeCaret({ ...marker, height: 0 }, mirror, view).visible).toBe(false);
  });

  it('adds the vertical offset of an input', () => {
    const marker = { left: 100, top: 206, width: 0, height: 18 };
    expect(placeCaret(marker, mirror, { ...view, offsetY: 3 }).top).toBe(9);
    expect(inputOffsetY(40, 30)).toBe(5);
    expect(inputOffsetY(20, 30)).toBe(0);
  });
});

describe('placeSelection', () => {
  it('maps each line of a selection and clips it to the visible area', () => {
    const rects = [
      { left: 250, top: 206, width: 200, height: 18 }, // runs past the right edge
      { left: 106, top: 230, width: 50, height: 18 },
      { left: 106, top: 254, width: 0, height: 18 }, // empty line
      { left: 106, top: 400, width: 50, height: 18 }, // below the field
    ];
    expect(placeSelection(rects, mirror, view)).toEqual([
      { left: 150, top: 6, width: 150, height: 18 },
      { left: 6, top: 30, width: 50, height: 18 },
    ]);
  });

  it('grows each line to the line height, so lines of a selection touch', () => {
    const rects = [
      { left: 106, top: 208, width: 80, height: 15 },
      { left: 106, top: 228, width: 40, height: 15 },
    ];
    expect(placeSelection(rects, mirror, view, 20)).toEqual([
      { left: 6, top: 5.5, width: 80, height: 20 },
      { left: 6, top: 25.5, width: 40, height: 20 },
    ]);
    expect(placeSelection(rects, mirror, view, 10)[0]?.height).toBe(15);
  });

  it('reads rectangles whose sides are getters, as DOMRect has them', () => {
    class Rect {
      get left() {
        return 106;
      }
      get top() {
        return 208;
      }
      get width() {
        return 80;
      }
      get height() {
        return 15;
      }
    }
    expect(placeSelection([new Rect()], mirror, view, 20)).toEqual([
      { left: 6, top: 5.5, width: 80, height: 20 },
    ]);
    expect(placeCaret(new Rect(), mirror, view)).toMatchObject({ left: 6, top: 8, height: 15 });
  });

  it('follows scrolling', () => {
    const rects = [{ left: 106, top: 230, width: 50, height: 18 }];
    expect(placeSelection(rects, mirror, { ...view, scrollTop: 20 })).toEqual([
      { left: 6, top: 10, width: 50, height: 18 },
    ]);
    expect(placeSelection(rects, mirror, { ...view, scrollTop: 60 })).toEqual([]);
  });
});

describe('labelSide', () => {
  it('puts the name label to the right of the caret unless it would leave the field', () => {
    expect(labelSide(10, 400)).toBe('start');
    expect(labelSide(300, 400)).toBe('end');
    // a narrow field: better overflow to the right than off the left edge
    expect(labelSide(40, 100)).toBe('start');
  });
});
