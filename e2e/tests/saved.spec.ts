import { test, expect } from '../support/fixtures.ts';

test.describe('save state in the header', () => {
  test('says "Saved" only once the server has committed the edits, also after working offline', async ({
    person,
    docId,
  }) => {
    const { doc } = person;
    await doc.goto(docId);
    await expect(doc.status).toContainText('Saved');

    await doc.field('architecture', 'Pattern').click();
    await person.page.keyboard.type('Event sourcing');
    await expect(doc.status).toHaveAttribute('data-saved', 'true');
    await expect(doc.status).toHaveText('Saved');
    await doc.serverHas('Event sourcing');

    await person.context.setOffline(true);
    await expect(doc.status).toHaveAttribute('data-status', 'offline');
    await expect(doc.status).toHaveText('Offline');
    await doc.field('architecture', 'Rationale').fill('Written offline');
    await expect(doc.status).toHaveAttribute('data-saved', 'false');
    await expect(doc.status).toContainText(/Offline – \d+ unsaved changes?/);
    await doc.field('architecture', 'Trade-offs').fill('Also offline');
    const count = async () =>
      Number(/(\d+) unsaved/.exec((await doc.unsynced.textContent()) ?? '')?.[1]);
    expect(await count()).toBeGreaterThanOrEqual(2);

    await person.context.setOffline(false);
    await expect(doc.status).toHaveAttribute('data-status', 'connected', { timeout: 20_000 });
    await expect(doc.status).toHaveText('Saved');
    await expect(doc.unsynced).toHaveCount(0);
    await doc.serverHas('Written offline');
    await doc.serverHas('Also offline');
  });
});
