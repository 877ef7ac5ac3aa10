import { readFileSync } from 'node:fs';
import { test, expect, repoPath, createFromMarkdown } from '../support/fixtures.ts';

const DEMO = readFileSync(repoPath('e2e/fixtures/syspat-system-patterns.md'), 'utf8');

test('every field and button of a document has a name, and focus is visible', async ({
  person,
  request,
}) => {
  const id = await createFromMarkdown(request, DEMO, 'Accessible');
  const { doc, page } = person;
  await doc.goto(id);
  // mount every section's editors
  for (const section of [
    'architecture',
    'components',
    'patterns',
    'data',
    'integration',
    'security',
    'paths',
    'performance',
    'scalability',
    'decisions',
    'errors',
    'observability',
  ]) {
    await doc.show(section);
  }
  const unnamed = await page.evaluate(() => {
    const problems: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('textarea, input, select')) {
      const field = el as HTMLInputElement;
      if (field.type === 'file') continue;
      if (
        (field.labels?.length ?? 0) === 0 &&
        !el.getAttribute('aria-label') &&
        !el.getAttribute('aria-labelledby')
      ) {
        problems.push(el.outerHTML.slice(0, 120));
      }
    }
    for (const el of document.querySelectorAll<HTMLElement>('button, a[href]')) {
      const name = el.getAttribute('aria-label') ?? el.textContent ?? '';
      if (name.trim() === '') problems.push(el.outerHTML.slice(0, 120));
    }
    return problems;
  });
  expect(unnamed).toEqual([]);

  // keyboard focus shows an outline or a ring
  await page.keyboard.press('Tab');
  const focused = page.locator(':focus');
  const outline = await focused.evaluate((el) => {
    const style = getComputedStyle(el);
    return style.outlineStyle !== 'none' || style.boxShadow !== 'none';
  });
  expect(outline).toBe(true);
});
