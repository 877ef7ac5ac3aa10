import { expect, type Locator, type Page } from '@playwright/test';

/** Page objects for issue 9: the import report, the outline's section states, Structure this. */

/** The toast that says what an import recognized. */
export function importReport(page: Page): Locator {
  return page.locator('.toast').filter({ hasText: /^Imported / });
}

/** The outline row of a section, with its state in `data-state`. */
export function outlineRow(page: Page, heading: string): Locator {
  return page
    .getByRole('navigation', { name: 'Sections' })
    .locator('.outline__item')
    .filter({ has: page.locator('.outline__heading', { hasText: heading }) });
}

/** The extra section (one the template does not know) under this heading. */
export function extraSection(page: Page, heading: string): Locator {
  return page.locator('section.section--extra').and(page.getByRole('region', { name: heading }));
}

/**
 * Opens "Move into a section" on an extra section, picks `target`, checks the preview says
 * `expected` and applies it.
 */
export async function moveIntoSection(
  page: Page,
  extra: Locator,
  target: string,
  expected: string,
): Promise<void> {
  await extra.getByRole('button', { name: 'Move into a section' }).click();
  const dialog = page.getByRole('dialog', { name: 'Structure this' });
  await dialog.getByLabel('Template section').selectOption({ label: target });
  await expect(dialog.getByTestId('structure-preview')).toContainText(expected);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeHidden();
}
