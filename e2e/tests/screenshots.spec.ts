import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, repoPath, screenshotPath, createFromMarkdown } from '../support/fixtures.ts';

/** The README's screenshots, saved to e2e/screenshots/ (committed). */

const DEMO = readFileSync(repoPath('e2e/fixtures/syspat-system-patterns.md'), 'utf8');

async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.waitForTimeout(400);
}

test.describe('screenshots', () => {
  test('the document list', async ({ person, request }) => {
    // start from a clean list: earlier tests leave their documents behind
    const { docs } = (await (await request.get('/api/docs')).json()) as { docs: { id: string }[] };
    for (const doc of docs) await request.delete(`/api/docs/${doc.id}`);
    for (const title of [
      'Billing platform',
      'Mobile API gateway',
      'Data pipeline',
      'syspat architecture',
    ]) {
      await createFromMarkdown(request, DEMO, title);
    }
    await person.list.goto();
    await expect(person.list.rows).toHaveCount(4);
    await settle(person.page);
    await person.page.screenshot({ path: screenshotPath('document-list.png') });
  });

  test('a filled-in document', async ({ person, request }) => {
    const id = await createFromMarkdown(request, DEMO, 'syspat architecture');
    const { doc, page } = person;
    await doc.goto(id);
    await expect(doc.section('architecture').locator('.diagram-preview__image')).toBeVisible({
      timeout: 20_000,
    });
    await settle(page);
    await page.screenshot({ path: screenshotPath('document.png') });
    await doc.show('components');
    await page.evaluate(() =>
      document.getElementById('section-components')?.scrollIntoView({ block: 'start' }),
    );
    await settle(page);
    await page.screenshot({ path: screenshotPath('document-components.png') });
    await doc.openPreview();
    await settle(page);
    await page.screenshot({ path: screenshotPath('document-export-preview.png') });
  });

  test('two people editing side by side', async ({ alice, bob, request }) => {
    const id = await createFromMarkdown(request, DEMO, 'syspat architecture');
    await Promise.all([alice.doc.goto(id), bob.doc.goto(id)]);
    for (const person of [alice, bob]) {
      await person.doc.show('components');
      await person.page.evaluate(() =>
        document.getElementById('section-components')?.scrollIntoView({ block: 'start' }),
      );
    }
    const aliceField = alice.doc
      .cards('components')
      .nth(0)
      .getByLabel('Technology', { exact: true });
    await aliceField.click();
    await aliceField.press('End');
    await alice.page.keyboard.type(', y-protocols');
    const bobField = bob.doc.cards('components').nth(1).getByLabel('Purpose', { exact: true });
    await bobField.click();
    await bobField.press('End');
    await bob.page.keyboard.type(' in real time');
    // Bob selects what he typed: Alice sees his selection, Bob sees Alice's caret
    for (const _ of 'real time') await bobField.press('Shift+ArrowLeft');
    const bobOnAlice = alice.doc.cards('components').nth(1).getByLabel('Purpose', { exact: true });
    const aliceOnBob = bob.doc.cards('components').nth(0).getByLabel('Technology', { exact: true });
    await expect(alice.doc.ring(bobOnAlice)).toHaveText('Bob');
    await expect(bob.doc.ring(aliceOnBob)).toHaveText('Alice');
    await expect(alice.doc.remoteSelection(bobOnAlice)).toHaveCount(1);
    await expect(alice.doc.remoteCaret(bobOnAlice, 'Bob')).toBeVisible();
    await expect(bob.doc.remoteCaret(aliceOnBob, 'Alice')).toHaveAttribute(
      'data-offset',
      String((await aliceField.inputValue()).length),
    );
    // both at the same place (a click may have scrolled a page while sections above mounted)
    for (const person of [alice, bob]) {
      await person.page.evaluate(() =>
        document.getElementById('section-components')?.scrollIntoView({ block: 'start' }),
      );
    }
    await Promise.all([alice.page.mouse.move(0, 0), bob.page.mouse.move(0, 0)]);
    await alice.page.waitForTimeout(300);
    const [left, right] = await Promise.all([alice.page.screenshot(), bob.page.screenshot()]);
    const canvas = await alice.context.newPage();
    await canvas.setViewportSize({ width: 2400, height: 790 });
    await canvas.setContent(
      `<body style="margin:0;background:#d4d4d8;display:flex;gap:16px;padding:16px;box-sizing:border-box">
        <img style="width:1176px;border-radius:10px;box-shadow:0 4px 20px rgba(0,0,0,.15)" src="data:image/png;base64,${left.toString('base64')}">
        <img style="width:1176px;border-radius:10px;box-shadow:0 4px 20px rgba(0,0,0,.15)" src="data:image/png;base64,${right.toString('base64')}">
      </body>`,
    );
    await canvas.screenshot({ path: screenshotPath('two-collaborators.png') });
    await canvas.close();
  });
});
