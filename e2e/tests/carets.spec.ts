import { readFileSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { test, expect, repoPath, createFromMarkdown, type Person } from '../support/fixtures.ts';

/** Other people's carets inside fields: where each one is, as the other person sees it. */

const DEMO = readFileSync(repoPath('e2e/fixtures/syspat-system-patterns.md'), 'utf8');

async function openTogether(alice: Person, bob: Person, docId: string): Promise<void> {
  await Promise.all([alice.doc.goto(docId), bob.doc.goto(docId)]);
  await expect(alice.doc.avatars).toHaveCount(1);
  await expect(bob.doc.avatars).toHaveCount(1);
}

/** Where a drawn caret is in its field's padding box (its inline style). */
async function placeOf(caret: Locator): Promise<{ left: number; top: number }> {
  return caret.evaluate((el) => ({
    left: parseFloat((el as HTMLElement).style.left),
    top: parseFloat((el as HTMLElement).style.top),
  }));
}

/**
 * Where the caret after `offset` characters of a one-line field's value is, measured
 * independently of the app (canvas text metrics with the field's font).
 */
async function expectedLeft(field: Locator, offset: number): Promise<number> {
  return field.evaluate((el, n) => {
    const input = el as HTMLTextAreaElement;
    const style = getComputedStyle(input);
    const context = document.createElement('canvas').getContext('2d');
    if (context === null) throw new Error('no canvas');
    // the computed `font` shorthand is empty when a longhand has no shorthand form
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    context.letterSpacing = style.letterSpacing;
    return (
      parseFloat(style.paddingLeft) +
      context.measureText(input.value.slice(0, n)).width -
      input.scrollLeft
    );
  }, offset);
}

const selectionStart = (field: Locator): Promise<number> =>
  field.evaluate((el) => (el as HTMLTextAreaElement).selectionStart);

test.describe('carets of other people inside fields', () => {
  test("B sees A's caret at its character, and it moves with the text B types before it", async ({
    alice,
    bob,
    docId,
  }) => {
    await openTogether(alice, bob, docId);
    const aliceField = alice.doc.field('architecture', 'Rationale');
    const bobField = bob.doc.field('architecture', 'Rationale');
    await aliceField.click();
    await alice.page.keyboard.type('One deployable for everything');
    for (const _ of ' for everything') await aliceField.press('ArrowLeft');
    expect(await selectionStart(aliceField)).toBe(14);

    const caret = bob.doc.remoteCaret(bobField, 'Alice');
    await expect(caret).toHaveAttribute('data-offset', '14');
    await expect(caret).toHaveAttribute('data-anchor', '14');
    await expect(caret.locator('.carets__label')).toHaveCSS('background-color', 'rgb(229, 72, 77)');
    expect(Math.abs((await placeOf(caret)).left - (await expectedLeft(bobField, 14)))).toBeLessThan(
      2,
    );
    // named at the caret, so the field's name tag steps aside
    await expect(bob.doc.ring(bobField)).toBeHidden();
    await expect(bob.doc.remoteSelection(bobField)).toHaveCount(0);

    await bobField.click();
    await bobField.press('Home');
    await bob.page.keyboard.type('Truly ');
    await expect(aliceField).toHaveValue('Truly One deployable for everything');
    await expect(caret).toHaveAttribute('data-offset', '20');
    expect(await selectionStart(aliceField)).toBe(20);
    expect(Math.abs((await placeOf(caret)).left - (await expectedLeft(bobField, 20)))).toBeLessThan(
      2,
    );
    await expect(alice.doc.remoteCaret(aliceField, 'Bob')).toHaveAttribute('data-offset', '6');

    // a selection is highlighted from its anchor to the caret
    for (const _ of 'deployable') await aliceField.press('Shift+ArrowLeft');
    await expect(caret).toHaveAttribute('data-offset', '10');
    await expect(caret).toHaveAttribute('data-anchor', '20');
    const highlight = bob.doc.remoteSelection(bobField);
    await expect(highlight).toHaveCount(1);
    const width = await highlight.evaluate((el) => parseFloat((el as HTMLElement).style.width));
    const expectedWidth = (await expectedLeft(bobField, 20)) - (await expectedLeft(bobField, 10));
    expect(Math.abs(width - expectedWidth)).toBeLessThan(2);

    // leaving the field takes the caret along
    await alice.page.keyboard.press('Tab');
    await expect(caret).toHaveCount(0);
    await expect(highlight).toHaveCount(0);
    await expect(
      bob.doc.remoteCaret(bob.doc.field('architecture', 'Trade-offs'), 'Alice'),
    ).toHaveAttribute('data-offset', '0');
  });

  test('in a multi-line field the caret is on its line, and follows horizontal scrolling', async ({
    alice,
    bob,
    request,
  }) => {
    const id = await createFromMarkdown(request, DEMO, 'Carets in a diagram');
    await openTogether(alice, bob, id);
    const aliceSource = alice.doc.section('architecture').getByLabel('Diagram source');
    const bobSource = bob.doc.section('architecture').getByLabel('Diagram source');
    await aliceSource.click();
    await aliceSource.press('Control+Home');
    const caret = bob.doc.remoteCaret(bobSource, 'Alice');
    await expect(caret).toHaveAttribute('data-offset', '0');
    const first = await placeOf(caret);

    // third line, after its two spaces of indentation
    await aliceSource.press('ArrowDown');
    await aliceSource.press('ArrowDown');
    await aliceSource.press('Home');
    await aliceSource.press('ArrowRight');
    await aliceSource.press('ArrowRight');
    const lines = (await aliceSource.inputValue()).split('\n');
    const offset = (lines[0]?.length ?? 0) + (lines[1]?.length ?? 0) + 2 + 2;
    await expect(caret).toHaveAttribute('data-offset', String(offset));
    const third = await placeOf(caret);
    const lineHeight = await bobSource.evaluate((el) =>
      parseFloat(getComputedStyle(el).lineHeight),
    );
    expect(Math.abs(third.top - first.top - 2 * lineHeight)).toBeLessThan(1.5);
    const indent = await expectedLeft(bobSource, 2);
    expect(Math.abs(third.left - indent)).toBeLessThan(2);

    // the end of the long second line is scrolled out of Bob's view: no caret, the tag names her
    await aliceSource.press('ArrowUp');
    await aliceSource.press('End');
    const end = (lines[0]?.length ?? 0) + 1 + (lines[1]?.length ?? 0);
    expect(
      await bobSource.evaluate((el) => el.scrollWidth > el.clientWidth + 20),
      'the second line is wider than the field',
    ).toBe(true);
    await expect(caret).toHaveCount(0);
    await expect(bob.doc.ring(bobSource)).toHaveText('Alice');
    await expect(bob.doc.ring(bobSource)).toBeVisible();
    await bobSource.evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await expect(caret).toHaveAttribute('data-offset', String(end));
    const scrolled = await placeOf(caret);
    const clientWidth = await bobSource.evaluate((el) => el.clientWidth);
    expect(scrolled.left).toBeGreaterThan(0);
    expect(scrolled.left).toBeLessThanOrEqual(clientWidth);
    await expect(bob.doc.ring(bobSource)).toBeHidden();
  });
});
