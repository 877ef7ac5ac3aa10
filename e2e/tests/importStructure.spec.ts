import { test, expect, repoPath } from '../support/fixtures.ts';
import {
  extraSection,
  importReport,
  moveIntoSection,
  outlineRow,
} from '../support/importStructure.ts';

const MEMORY_BANK = repoPath('e2e/fixtures/memory-bank-system-patterns.md');

test.describe('issue 9: real files become forms', () => {
  test('a memory-bank file imports as cards with Purpose, a previewed diagram and a report; one Structure this is undone and redone', async ({
    person,
  }) => {
    const { list, page } = person;
    await list.goto();
    const doc = await list.importFile(MEMORY_BANK);

    // the report says what was recognized
    const report = importReport(page);
    await expect(report).toContainText('3 components');
    await expect(report).toContainText('1 diagram');
    await expect(report).toContainText('1 extra section');

    // one title: the # heading names the document
    await expect(doc.listingTitle).toHaveText('Lumen');

    // the Key Components list became component cards with their Purpose filled
    await doc.show('components');
    await expect(doc.cards('components')).toHaveCount(3);
    await expect(doc.cardTitle('components', 0)).toHaveValue('Reader App');
    await expect(doc.cards('components').nth(1).getByLabel('Purpose', { exact: true })).toHaveValue(
      'Serves documents and checks every session token',
    );

    // the fence under System Architecture is the architecture diagram, previewed
    await doc.show('architecture');
    await expect(doc.section('architecture').locator('.diagram-preview__image')).toBeVisible({
      timeout: 20_000,
    });

    // the outline tells structured sections from those that are not there
    await expect(outlineRow(page, 'Core Components')).toHaveAttribute('data-state', 'structured');
    await expect(outlineRow(page, 'Key Technical Decisions')).toHaveAttribute(
      'data-state',
      'absent',
    );

    // Structure this: the extra section moves into Key Technical Decisions as one undo step
    const lessons = extraSection(page, 'Lessons Learned');
    await expect(lessons).toBeVisible();
    await moveIntoSection(
      page,
      lessons,
      'Key Technical Decisions',
      '1 decision card: SQLite for local development',
    );
    await expect(lessons).toHaveCount(0);
    await doc.show('decisions');
    await expect(doc.cards('decisions')).toHaveCount(1);
    await expect(doc.cardTitle('decisions', 0)).toHaveValue('SQLite for local development');
    await doc.serverHas('### Decision 1: SQLite for local development');

    await doc.undo();
    await expect(lessons).toBeVisible();
    await expect(doc.section('decisions')).toHaveClass(/section--absent/);

    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await expect(lessons).toHaveCount(0);
    await doc.show('decisions');
    await expect(doc.cardTitle('decisions', 0)).toHaveValue('SQLite for local development');
    await expect(
      doc.cards('decisions').first().getByLabel('Rationale', { exact: true }),
    ).toHaveValue('Nobody has to install a database server to start');
  });

  test('section notes holding card headings offer Structure this, previewed, undone and redone', async ({
    person,
    docId,
  }) => {
    const { doc, page } = person;
    await doc.goto(docId);
    const section = await doc.show('patterns');
    await section.getByRole('button', { name: 'Section notes' }).click();
    const notes = section.getByRole('textbox', { name: 'Notes on Design Patterns markdown' });
    await notes.fill(
      '### Pattern 1: Outbox\n- **Implementation**: events are written with the data\n',
    );
    const offer = section.getByRole('button', {
      name: /^Structure this: Turn this item into pattern card/,
    });
    await expect(offer).toBeVisible();
    await offer.click();
    const dialog = page.getByRole('dialog', { name: 'Structure this' });
    await expect(dialog.getByTestId('structure-preview')).toContainText('1 pattern card: Outbox');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(doc.cards('patterns')).toHaveCount(1);
    await expect(doc.cardTitle('patterns', 0)).toHaveValue('Outbox');
    await expect(notes).toHaveValue('');

    await doc.undo();
    await expect(doc.cards('patterns')).toHaveCount(2);
    await expect(
      section.getByRole('textbox', { name: 'Notes on Design Patterns markdown' }),
    ).toHaveValue(/### Pattern 1: Outbox/);
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await expect(doc.cards('patterns')).toHaveCount(1);
    await expect(doc.cardTitle('patterns', 0)).toHaveValue('Outbox');
  });

  test('renaming in the header rewrites the # heading, the list follows, and Undo takes it back', async ({
    person,
    docId,
  }) => {
    const { doc, page } = person;
    const listed = async () =>
      ((await (await page.request.get(`/api/docs/${docId}`)).json()) as { title: string }).title;
    await doc.goto(docId);
    const heading = page.getByLabel('Document title', { exact: true });
    await expect(heading).toHaveValue('System Patterns: E2E document');
    await expect(doc.listingTitle).toHaveText('E2E document');

    await page.locator('button.doc-title').click();
    const input = page.getByLabel('Document name', { exact: true });
    await input.fill('Atlas');
    await input.press('Enter');
    await expect(heading).toHaveValue('System Patterns: Atlas');
    await expect(doc.listingTitle).toHaveText('Atlas');
    await expect.poll(listed).toBe('Atlas');

    await doc.undo();
    await expect(heading).toHaveValue('System Patterns: E2E document');
    await expect(doc.listingTitle).toHaveText('E2E document');
    await expect.poll(listed).toBe('E2E document');
  });

  test('renaming on the list rewrites the # heading too and offers Undo', async ({
    person,
    docId,
  }) => {
    const { list, page } = person;
    const firstLine = async () =>
      (await (await page.request.get(`/api/docs/${docId}/markdown`)).text()).split('\n')[0];
    await list.goto();
    // every test's document is called "E2E document": pick this one by its link
    const row = list.rows.filter({ has: page.locator(`a[href="/d/${docId}"]`) });
    await row.getByRole('button', { name: 'Rename E2E document' }).click();
    const input = page.getByLabel('New name for E2E document');
    await input.fill(`Orion ${docId}`);
    await input.press('Enter');
    await expect(list.row(`Orion ${docId}`)).toBeVisible();
    await expect.poll(firstLine).toBe(`# System Patterns: Orion ${docId}`);

    await page.locator('.toast').getByRole('button', { name: 'Undo' }).click();
    await expect(list.row(`Orion ${docId}`)).toHaveCount(0);
    await expect.poll(firstLine).toBe('# System Patterns: E2E document');
  });
});
