import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { test, expect, repoPath, createFromMarkdown } from '../support/fixtures.ts';

const DEMO = readFileSync(repoPath('e2e/fixtures/syspat-system-patterns.md'), 'utf8');

function syspatFmt(markdown: string): string {
  return execFileSync(
    repoPath('node_modules/.bin/tsx'),
    [repoPath('apps/cli/src/main.ts'), 'fmt', '-'],
    {
      cwd: repoPath('.'),
      input: markdown,
      encoding: 'utf8',
    },
  );
}

test.describe('export and import', () => {
  test('the downloaded export equals GET /api/docs/:id/markdown and syspat fmt of it', async ({
    person,
    request,
  }) => {
    const id = await createFromMarkdown(request, DEMO, 'Export me');
    const { doc } = person;
    await doc.goto(id);
    await doc.field('architecture', 'Trade-offs').fill('Simple to run | hard to shard');
    await doc.serverHas('- **Trade-offs**: Simple to run | hard to shard');
    const downloaded = await doc.download();
    const served = await (await request.get(`/api/docs/${id}/markdown`)).text();
    expect(downloaded).toBe(served);
    expect(syspatFmt(downloaded)).toBe(downloaded);
  });

  test('the side-by-side preview shows the export and Copy puts it on the clipboard', async ({
    person,
    request,
  }) => {
    const id = await createFromMarkdown(request, DEMO, 'Preview me');
    const { doc, page, context } = person;
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await doc.goto(id);
    const preview = await doc.openPreview();
    await expect(preview).toContainText('### Component 1: Collaboration server');
    await doc.field('architecture', 'Pattern').fill('Modular monolith, live');
    await expect(preview).toContainText('- **Pattern**: Modular monolith, live');
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect(page.getByText('Markdown copied to the clipboard')).toBeVisible();
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    expect(clipboard).toBe(await (await page.request.get(`/api/docs/${id}/markdown`)).text());
  });

  test("importing into an open document applies a patch, undoable, and a collaborator's concurrent edit survives", async ({
    alice,
    bob,
    request,
  }, testInfo) => {
    const id = await createFromMarkdown(request, DEMO, 'Import into me');
    await Promise.all([alice.doc.goto(id), bob.doc.goto(id)]);
    const file = testInfo.outputPath('changed.md');
    writeFileSync(
      file,
      DEMO.replace(
        '- **Trade-offs**: Simple to run and test; horizontal scale needs Redis fan-out',
        '- **Trade-offs**: Changed by the imported file',
      ),
    );

    // Bob edits another field while offline, so his change is concurrent with the import
    await bob.context.setOffline(true);
    await expect(bob.doc.status).toHaveAttribute('data-status', 'offline');
    await bob.doc.field('architecture', 'Rationale').fill('Bob, concurrently');

    await alice.page.getByTestId('import-into-document').setInputFiles(file);
    const dialog = alice.page.getByRole('dialog', { name: 'Import into this document?' });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(alice.doc.field('architecture', 'Trade-offs')).toHaveValue(
      'Changed by the imported file',
    );

    await bob.context.setOffline(false);
    for (const person of [alice, bob]) {
      await expect(person.doc.field('architecture', 'Trade-offs')).toHaveValue(
        'Changed by the imported file',
      );
      await expect(person.doc.field('architecture', 'Rationale')).toHaveValue('Bob, concurrently');
    }
    // Alice's import is one step of her history
    await alice.doc.undo();
    await expect(bob.doc.field('architecture', 'Trade-offs')).toHaveValue(
      'Simple to run and test; horizontal scale needs Redis fan-out',
    );
    await expect(bob.doc.field('architecture', 'Rationale')).toHaveValue('Bob, concurrently');
  });
});
