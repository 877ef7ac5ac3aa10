import { readFileSync } from 'node:fs';
import { test, expect, repoPath, createFromMarkdown } from '../support/fixtures.ts';

const DEMO = readFileSync(repoPath('e2e/fixtures/syspat-system-patterns.md'), 'utf8');

test.describe('editing one document', () => {
  test('a removed card comes back with Undo, and cards reorder by keyboard and by drag', async ({
    person,
    request,
  }) => {
    const id = await createFromMarkdown(request, DEMO, 'Cards');
    const { doc, page } = person;
    await doc.goto(id);
    await expect(doc.cardTitle('components', 0)).toHaveValue('Collaboration server');

    await doc
      .cards('components')
      .nth(0)
      .getByRole('button', { name: 'Remove Component 1: Collaboration server' })
      .click();
    await expect(doc.cards('components')).toHaveCount(1);
    await page
      .getByRole('status')
      .filter({ hasText: 'Component 1 removed' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await expect(doc.cards('components')).toHaveCount(2);
    await expect(doc.cardTitle('components', 0)).toHaveValue('Collaboration server');

    // keyboard: the grip handle moves its card with the arrow keys and keeps focus
    const grip = doc.cards('components').nth(0).locator('.grip');
    await grip.focus();
    await page.keyboard.press('ArrowDown');
    await expect(doc.cardTitle('components', 0)).toHaveValue('Web editor');
    await expect(doc.cardTitle('components', 1)).toHaveValue('Collaboration server');
    await expect(page.locator('#announcer')).toHaveText('Component moved to position 2 of 2');

    // drag: drop the second card above the first
    await doc
      .cards('components')
      .nth(1)
      .locator('.grip')
      .dragTo(doc.cards('components').nth(0), { targetPosition: { x: 200, y: 5 } });
    await expect(doc.cardTitle('components', 0)).toHaveValue('Collaboration server');
    await doc.serverHas('### Component 1: Collaboration server');
  });

  test('tables add, move and remove rows, toggle Critical? and keep extra columns editable', async ({
    person,
    request,
  }) => {
    const markdown = DEMO.replace(
      '| System | Integration Type | Purpose | Critical? |\n|--------|-----------------|---------|-----------|',
      '| System | Integration Type | Purpose | Critical? | Owner |\n|--------|-----------------|---------|-----------|-------|',
    )
      .replace(
        '| Redis | Pub/sub | Fan-out across instances | No |',
        '| Redis | Pub/sub | Fan-out across instances | No | Platform |',
      )
      .replace(
        '| Postgres | SQL | Shared storage | Yes |',
        '| Postgres | SQL | Shared storage | Yes | Data |',
      );
    const id = await createFromMarkdown(request, markdown, 'Tables');
    const { doc, page } = person;
    await doc.goto(id);
    const section = await doc.show('integration');
    const table = section.locator('table.grid');
    await expect(table.locator('tbody tr')).toHaveCount(2);
    await expect(table.getByRole('textbox', { name: 'Column name' })).toHaveValue('Owner');
    await table.getByLabel('Column 5, row 1').fill('Platform team');

    // Critical? is a yes/no toggle
    const critical = table.getByRole('group', { name: 'Critical?, row 1' });
    await expect(critical.getByRole('button', { name: 'No' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await critical.getByRole('button', { name: 'Yes' }).click();
    await expect(critical.getByRole('button', { name: 'Yes' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    // add a row, type into its cells
    await section.getByRole('button', { name: 'Row', exact: true }).click();
    await expect(table.locator('tbody tr')).toHaveCount(3);
    await expect(table.getByLabel('System, row 3')).toBeFocused();
    await page.keyboard.type('Stripe');
    await table.getByLabel('Purpose, row 3').fill('Payments');

    // move it to the top with Alt+↑ from a cell, twice
    await table.getByLabel('System, row 3').press('Alt+ArrowUp');
    await table.getByLabel('System, row 2').press('Alt+ArrowUp');
    await expect(table.getByLabel('System, row 1')).toHaveValue('Stripe');

    // remove the Postgres row (now row 3)
    await table.getByRole('button', { name: 'Remove row 3' }).click();
    await expect(table.locator('tbody tr')).toHaveCount(2);

    // an empty cell exports as the template's placeholder for that place
    await doc.serverHas('| Stripe | [REST/GraphQL/etc] | Payments | [Yes/No] |  |');
    await doc.serverHas('| Redis | Pub/sub | Fan-out across instances | Yes | Platform team |');
  });

  test('list items: Enter adds the next, Backspace in an empty one removes it, steps are numbered', async ({
    person,
    docId,
  }) => {
    const { doc, page } = person;
    await doc.goto(docId);
    const section = await doc.show('integration');
    const list = section.locator('.block--list');
    await list.getByRole('button', { name: 'Item', exact: true }).click();
    await page.keyboard.type('REST for documents');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Websockets for live sync');
    await page.keyboard.press('Enter');
    await expect(list.getByRole('textbox')).toHaveCount(3);
    await page.keyboard.press('Backspace');
    await expect(list.getByRole('textbox')).toHaveCount(2);
    await expect(list.getByRole('textbox', { name: 'Item 2' })).toBeFocused();
    await doc.serverHas('- REST for documents\n- Websockets for live sync');

    const paths = await doc.show('paths');
    const first = paths.locator('article.card').first();
    await first.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(first.getByRole('textbox', { name: 'Step 1' })).toHaveAttribute(
      'placeholder',
      'User submits credentials',
    );
    await page.keyboard.type('User opens the sign-in page');
    await expect(first.locator('.list-item__marker').first()).toHaveText('1.');
  });

  test('the intro shows rendered when it is one emphasised line, and edits as markdown', async ({
    person,
    request,
  }) => {
    const id = await createFromMarkdown(request, DEMO, 'Intro');
    const { doc, page } = person;
    await doc.goto(id);
    const line = 'Technical architecture, design patterns, and critical implementation decisions';
    await expect(doc.introPreview.locator('em')).toHaveText(line);
    await expect(doc.introPreview).not.toContainText('*');
    await expect(doc.intro).toHaveCSS('color', 'rgba(0, 0, 0, 0)');

    // a click edits the markdown itself
    await doc.introPreview.click({ force: true });
    await expect(doc.intro).toBeFocused();
    await expect(doc.introPreview).toHaveCount(0);
    await expect(doc.intro).toHaveValue(`*${line}*`);
    await doc.intro.press('Control+A');
    await page.keyboard.type('*How syspat is built*');
    await doc.intro.blur();
    await expect(doc.introPreview.locator('em')).toHaveText('How syspat is built');
    await doc.serverHas('\n*How syspat is built*\n');

    // keyboard focus edits it too; anything but one emphasised line shows as written
    await page.getByLabel('Document title', { exact: true }).focus();
    await page.keyboard.press('Tab');
    await expect(doc.intro).toBeFocused();
    await expect(doc.introPreview).toHaveCount(0);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Plain words, **strong** ones');
    await doc.intro.blur();
    await expect(doc.introPreview).toHaveCount(0);
    await expect(doc.intro).toHaveValue('Plain words, **strong** ones');
    await expect(doc.intro).not.toHaveCSS('color', 'rgba(0, 0, 0, 0)');
  });

  test('a mermaid diagram shows a live preview beside its source', async ({ person, request }) => {
    const id = await createFromMarkdown(request, DEMO, 'Diagram');
    const { doc } = person;
    await doc.goto(id);
    const preview = doc.section('architecture').locator('.diagram-preview__image');
    await expect(preview).toBeVisible({ timeout: 20_000 });
    const before = await preview.getAttribute('src');
    const source = doc.section('architecture').getByLabel('Diagram source');
    await source.press('End');
    await source.press('Control+End');
    await person.page.keyboard.type('\n  Server --> Metrics[Prometheus]');
    await expect.poll(() => preview.getAttribute('src'), { timeout: 15_000 }).not.toBe(before);
    expect(decodeURIComponent((await preview.getAttribute('src')) ?? '')).toContain('Prometheus');
  });

  test('a mermaid fence kept in notes shows a live preview, its text as written', async ({
    person,
    request,
  }) => {
    const fence = '```mermaid\ngraph LR\n  Cache --> Store[Ledger]\n```';
    const markdown = `# System Patterns: Notes\n\n## Design Patterns\n\nHow reads flow:\n\n${fence}\n`;
    const id = await createFromMarkdown(request, markdown, 'Notes diagram');
    const { doc } = person;
    await doc.goto(id);
    const section = doc.section('patterns');
    const preview = section.locator('.diagram-preview__image');
    await expect(preview).toBeVisible({ timeout: 20_000 });
    expect(decodeURIComponent((await preview.getAttribute('src')) ?? '')).toContain('Ledger');
    await expect(section.getByLabel('Notes on Design Patterns')).toHaveValue(
      `How reads flow:\n\n${fence}`,
    );
  });

  test("the outline lists each section's lint warnings and jumps to the section", async ({
    person,
    docId,
  }) => {
    const { doc, page } = person;
    await doc.goto(docId);
    const outline = page.getByRole('navigation', { name: 'Sections' });
    // a named decision without a rationale is an error
    const decisions = await doc.show('decisions');
    await decisions
      .locator('article.card')
      .first()
      .getByLabel('Decision 1', { exact: true })
      .fill('Use Yjs');
    await page.evaluate(() => window.scrollTo(0, 0));
    const badge = outline.getByRole('button', { name: /warnings? in Key Technical Decisions/ });
    await expect(badge).toBeVisible();
    await badge.click();
    const warning = outline.locator('.outline__warning--error').first();
    await expect(warning).toContainText('Decision 1');
    await warning.click();
    await expect(doc.section('decisions')).toBeInViewport();
    await expect(doc.section('decisions')).toBeFocused();

    // filling the rationale clears that error
    await doc
      .section('decisions')
      .locator('article.card')
      .first()
      .getByLabel('Rationale', { exact: true })
      .fill('Because');
    await expect(
      outline.locator('.outline__warning--error').filter({ hasText: 'Decision 1 › Rationale' }),
    ).toHaveCount(0);
  });
});
