import { expect, type Locator, type Page } from '@playwright/test';

/** Page objects: what a person sees and does, so tests read as behaviour. */

export class ListPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(
      this.page.getByRole('heading', { name: 'System Patterns', level: 1 }),
    ).toBeVisible();
  }

  get rows(): Locator {
    return this.page.getByTestId('doc-row');
  }

  row(title: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('link', { name: title, exact: true }) });
  }

  async createDocument(): Promise<DocumentPage> {
    await this.page.getByRole('button', { name: 'New document' }).first().click();
    const doc = new DocumentPage(this.page);
    await doc.ready();
    return doc;
  }

  async importFile(file: string): Promise<DocumentPage> {
    await this.page.getByTestId('import-file').setInputFiles(file);
    const doc = new DocumentPage(this.page);
    await doc.ready();
    return doc;
  }
}

export class DocumentPage {
  constructor(readonly page: Page) {}

  async goto(id: string): Promise<void> {
    await this.page.goto(`/d/${id}`);
    await this.ready();
  }

  /** The document is on screen and synced with the server. */
  async ready(): Promise<void> {
    await expect(this.page.locator('article.doc')).toBeVisible({ timeout: 20_000 });
    await expect(this.status).toHaveAttribute('data-status', 'connected', { timeout: 20_000 });
  }

  get id(): string {
    const match = /\/d\/([^/?#]+)/.exec(this.page.url());
    if (match?.[1] === undefined) throw new Error(`not on a document page: ${this.page.url()}`);
    return match[1];
  }

  get status(): Locator {
    return this.page.getByTestId('connection-status');
  }

  get unsynced(): Locator {
    return this.page.getByTestId('unsynced-count');
  }

  get avatars(): Locator {
    return this.page.getByTestId('peer-avatar');
  }

  /** The document's name (as listed), shown in the header. */
  get listingTitle(): Locator {
    return this.page.locator('.doc-title__text');
  }

  /** Scrolls a section into view (sections mount their editors lazily). */
  async show(sectionId: string): Promise<Locator> {
    const section = this.section(sectionId);
    await section.scrollIntoViewIfNeeded();
    await expect(section.locator('.section__body')).toBeVisible();
    return section;
  }

  section(id: string): Locator {
    return this.page.locator(`#section-${id}`);
  }

  sectionHeadings(): Locator {
    return this.page.locator(
      'section.section h2, section.section--extra .collab--heading textarea',
    );
  }

  /** A labelled field of a section, e.g. `field('architecture', 'Pattern')`. */
  field(sectionId: string, label: string): Locator {
    return this.section(sectionId).getByLabel(label, { exact: true });
  }

  cards(sectionId: string): Locator {
    return this.section(sectionId).locator('article.card');
  }

  cardTitle(sectionId: string, index: number): Locator {
    return this.cards(sectionId).nth(index).locator('.card__title textarea');
  }

  async addCard(sectionId: string, noun: string): Promise<void> {
    await this.section(sectionId)
      .getByRole('button', { name: `Add ${noun}` })
      .click();
  }

  /** The coloured ring another person's presence puts around a field. */
  ring(field: Locator): Locator {
    return field.locator('xpath=..').locator('.collab__peer');
  }

  /**
   * Another person's caret drawn inside a field (by name). `data-offset` is the character it is
   * at, `data-anchor` where their selection starts; `style.left/top` place it in the field.
   */
  remoteCaret(field: Locator, name: string): Locator {
    return field
      .locator('xpath=..')
      .getByTestId('remote-caret')
      .filter({ has: this.page.getByText(name, { exact: true }) });
  }

  /** Highlighted lines of other people's selections in a field. */
  remoteSelection(field: Locator): Locator {
    return field.locator('xpath=..').getByTestId('remote-selection');
  }

  /** The document's intro line (markdown). */
  get intro(): Locator {
    return this.page.getByLabel('Introduction (markdown)', { exact: true });
  }

  /** The intro as rendered while nobody edits it (one emphasised line). */
  get introPreview(): Locator {
    return this.page.locator('.doc__head').getByTestId('field-preview');
  }

  async undo(): Promise<void> {
    await this.page.getByRole('button', { name: 'Undo', exact: true }).click();
  }

  async openPreview(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Markdown', exact: true }).click();
    return this.page.getByTestId('markdown-preview');
  }

  async download(): Promise<string> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: 'Export .md' }).click(),
    ]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Waits until the server's export contains `text` (the edit reached the server). */
  async serverHas(text: string): Promise<void> {
    await expect
      .poll(async () => (await this.page.request.get(`/api/docs/${this.id}/markdown`)).text(), {
        timeout: 15_000,
      })
      .toContain(text);
  }
}
