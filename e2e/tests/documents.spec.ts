import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test, expect, repoPath, createFromMarkdown } from '../support/fixtures.ts';

const TEMPLATE_FIXTURE = repoPath('packages/template/fixtures/system-patterns.md');
const DEMO = repoPath('e2e/fixtures/syspat-system-patterns.md');
const CORPUS_DIR = repoPath('../shared/corpus');

test.describe('document list', () => {
  test('creating a document from the template opens it with every template section', async ({
    person,
  }) => {
    await person.list.goto();
    const doc = await person.list.createDocument();
    for (const heading of [
      'System Architecture Overview',
      'Core Components',
      'Monitoring & Observability',
    ]) {
      await expect(person.page.getByRole('heading', { name: heading, level: 2 })).toBeVisible();
    }
    await expect(doc.cards('components')).toHaveCount(2);
    await expect(doc.field('architecture', 'Pattern')).toHaveAttribute(
      'placeholder',
      'e.g., Microservices, Monolith, Serverless',
    );
  });

  test('documents are listed last changed first and can be renamed, duplicated and deleted', async ({
    person,
    request,
  }) => {
    const stamp = Date.now().toString(36);
    await createFromMarkdown(request, readFileSync(DEMO, 'utf8'), `Older ${stamp}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await createFromMarkdown(request, readFileSync(DEMO, 'utf8'), `Newer ${stamp}`);
    const { list, page } = person;
    await list.goto();
    const titles = await list.rows.locator('.doc-row__title').allTextContents();
    expect(titles.indexOf(`Newer ${stamp}`)).toBeLessThan(titles.indexOf(`Older ${stamp}`));

    // rename
    await list
      .row(`Older ${stamp}`)
      .getByRole('button', { name: `Rename Older ${stamp}` })
      .click();
    const input = page.getByLabel(`New name for Older ${stamp}`);
    await input.fill(`Renamed ${stamp}`);
    await input.press('Enter');
    await expect(list.row(`Renamed ${stamp}`)).toBeVisible();
    // a rename is a change: it moves to the top
    await expect(list.rows.first()).toContainText(`Renamed ${stamp}`);

    // duplicate
    await list
      .row(`Newer ${stamp}`)
      .getByRole('button', { name: `Duplicate Newer ${stamp}` })
      .click();
    await expect(list.row(`Copy of Newer ${stamp}`)).toBeVisible();

    // delete asks first; cancel keeps it, confirm removes it
    await list
      .row(`Renamed ${stamp}`)
      .getByRole('button', { name: `Delete Renamed ${stamp}` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Delete “Renamed ${stamp}”?` });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(list.row(`Renamed ${stamp}`)).toBeVisible();
    await list
      .row(`Renamed ${stamp}`)
      .getByRole('button', { name: `Delete Renamed ${stamp}` })
      .click();
    await dialog.getByRole('button', { name: 'Delete document' }).click();
    await expect(list.row(`Renamed ${stamp}`)).toHaveCount(0);
  });

  test('importing the template file through the file picker shows its sections', async ({
    person,
  }) => {
    await person.list.goto();
    const doc = await person.list.importFile(TEMPLATE_FIXTURE);
    await expect(
      person.page.getByRole('heading', { name: 'Key Technical Decisions', level: 2 }),
    ).toBeVisible();
    await doc.show('paths');
    await expect(doc.cards('paths')).toHaveCount(2);
    await doc.show('decisions');
    await expect(doc.cards('decisions')).toHaveCount(2);
    await expect(person.page.locator('section.section--absent')).toHaveCount(0);
  });

  test('importing a file from the corpus keeps its own sections', async ({ person }) => {
    const file = existsSync(CORPUS_DIR)
      ? readdirSync(CORPUS_DIR).find((name) => name.startsWith('011-'))
      : undefined;
    test.skip(file === undefined, `corpus not found at ${CORPUS_DIR}: skipping the corpus import`);
    const corpusFile = path.join(CORPUS_DIR, file ?? '');
    await person.list.goto();
    const doc = await person.list.importFile(corpusFile);
    // headings of the file that the template does not know become editable extra sections
    const extras = person.page.locator('section.section--extra');
    await expect(extras.first()).toBeVisible();
    const headings = readFileSync(corpusFile, 'utf8')
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => line.replace(/^#{1,6} /, '').trim());
    const shown = await person.page
      .locator('section.section--extra .collab--heading textarea')
      .evaluateAll((els) => els.map((el) => (el as HTMLTextAreaElement).value));
    expect(shown.length).toBeGreaterThan(0);
    for (const heading of shown) expect(headings).toContain(heading);
    await expect(doc.section('architecture')).toBeVisible();
  });

  test('markdown dropped on the list or pasted is imported', async ({ person }) => {
    const { list, page } = person;
    await list.goto();
    const markdown = readFileSync(DEMO, 'utf8');
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'dropped-patterns.md', { type: 'text/markdown' }));
      return data;
    }, markdown);
    await page.dispatchEvent('.home', 'dragenter', { dataTransfer: transfer });
    await expect(page.getByText('Drop markdown to import')).toBeVisible();
    await page.dispatchEvent('.home', 'drop', { dataTransfer: transfer });
    await person.doc.ready();
    await expect(person.doc.listingTitle).toHaveText('dropped-patterns');
    await expect(person.doc.cardTitle('components', 0)).toHaveValue('Collaboration server');

    await list.goto();
    await page.evaluate(
      (text) => {
        const data = new DataTransfer();
        data.setData('text/plain', text);
        document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
      },
      markdown.replace('# System Patterns', '# Pasted patterns'),
    );
    await person.doc.ready();
    await expect(person.doc.listingTitle).toHaveText('Pasted patterns');
  });

  test('a document deleted while it is open says so, and an unknown id shows not found', async ({
    person,
    docId,
    request,
    consoleProblems,
  }) => {
    await person.doc.goto(docId);
    expect((await request.delete(`/api/docs/${docId}`)).status()).toBe(204);
    await expect(person.page.getByRole('heading', { name: 'Document not found' })).toBeVisible();
    await person.page.getByRole('link', { name: 'Back to documents' }).click();
    await expect(
      person.page.getByRole('heading', { name: 'System Patterns', level: 1 }),
    ).toBeVisible();

    await person.page.goto('/d/doesNotExist123');
    await expect(person.page.getByRole('heading', { name: 'Document not found' })).toBeVisible();
    // the browser itself logs the 404 of GET /api/docs/:id; nothing else may be logged
    const expected = /Failed to load resource: the server responded with a status of 404/;
    const unexpected = consoleProblems.filter((problem) => !expected.test(problem));
    consoleProblems.splice(0, consoleProblems.length, ...unexpected);
  });

  test('a first visit asks for a name and colour', async ({ browser, consoleProblems }) => {
    const context = await browser.newContext({ baseURL: process.env.SYSPAT_BASE_URL });
    const page = await context.newPage();
    (await import('../support/fixtures.ts')).watchConsole(page, 'newcomer', consoleProblems);
    await page.goto('/');
    const dialog = page.getByRole('dialog', { name: 'Welcome to syspat' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Your name').fill('Grace Hopper');
    await dialog.getByRole('button', { name: 'Start editing' }).click();
    await expect(
      page.getByRole('button', { name: 'You: Grace Hopper. Change name or colour' }),
    ).toBeVisible();
    const stored = await page.evaluate(
      () =>
        JSON.parse(localStorage.getItem('syspat.identity') ?? 'null') as {
          name: string;
          color: string;
        } | null,
    );
    expect(stored?.name).toBe('Grace Hopper');
    expect(stored?.color).toMatch(/^#[0-9a-fA-F]{6}$/);
    await context.close();
  });
});
