import { test, expect, type Person } from '../support/fixtures.ts';

async function openTogether(alice: Person, bob: Person, docId: string): Promise<void> {
  await Promise.all([alice.doc.goto(docId), bob.doc.goto(docId)]);
  await expect(alice.doc.avatars).toHaveCount(1);
  await expect(bob.doc.avatars).toHaveCount(1);
}

test.describe('two collaborators', () => {
  test('typing in the same field at the same time merges both texts', async ({
    alice,
    bob,
    docId,
  }) => {
    await openTogether(alice, bob, docId);
    const aliceField = alice.doc.field('architecture', 'Pattern');
    const bobField = bob.doc.field('architecture', 'Pattern');
    await aliceField.click();
    await bobField.click();
    await Promise.all([
      aliceField.pressSequentially('alpha', { delay: 40 }),
      bobField.pressSequentially('beta', { delay: 40 }),
    ]);
    await expect
      .poll(
        async () =>
          (await aliceField.inputValue()) === (await bobField.inputValue()) &&
          (await aliceField.inputValue()).length === 9,
      )
      .toBe(true);
    const merged = await aliceField.inputValue();
    expect(merged).toContain('alpha');
    expect(merged).toContain('beta');
    await alice.doc.serverHas(merged);
  });

  test('both adding a component at once keeps both cards', async ({ alice, bob, docId }) => {
    await openTogether(alice, bob, docId);
    await expect(alice.doc.cards('components')).toHaveCount(2);
    await Promise.all([
      alice.doc.addCard('components', 'component'),
      bob.doc.addCard('components', 'component'),
    ]);
    await expect(alice.doc.cards('components')).toHaveCount(4);
    await expect(bob.doc.cards('components')).toHaveCount(4);
    // each new card has focus in its title on its author's screen: name them at once
    await Promise.all([
      alice.page.keyboard.type('Alice service'),
      bob.page.keyboard.type('Bob service'),
    ]);
    // The other person's typing arrives over the network: poll until it has.
    for (const person of [alice, bob]) {
      await expect
        .poll(() =>
          person.doc
            .cards('components')
            .locator('.card__title textarea')
            .evaluateAll((els) => els.map((el) => (el as HTMLTextAreaElement).value)),
        )
        .toEqual(expect.arrayContaining(['Alice service', 'Bob service']));
    }
  });

  test('each sees the other in the header and a ring with their name on the field they are in', async ({
    alice,
    bob,
    docId,
  }) => {
    await openTogether(alice, bob, docId);
    await expect(alice.doc.avatars).toContainText('Bob');
    await expect(bob.doc.avatars).toContainText('Alice');

    await bob.doc.field('architecture', 'Rationale').click();
    await bob.page.keyboard.type('Shared packages keep the browser and the CLI in step');
    await alice.doc.field('architecture', 'Pattern').click();
    await alice.page.keyboard.type('Modular monolith');

    const ringOnAlice = alice.doc.ring(alice.doc.field('architecture', 'Rationale'));
    await expect(ringOnAlice).toHaveText('Bob');
    await expect(ringOnAlice).toHaveCSS('background-color', 'rgb(48, 164, 108)');
    await expect(bob.doc.ring(bob.doc.field('architecture', 'Pattern'))).toHaveText('Alice');
    // the outline marks the section each person is in
    await expect(
      alice.page.locator('.outline__item').first().locator('.outline__peer'),
    ).toHaveCount(1);
  });

  test('edits made offline sync when the connection comes back', async ({ alice, bob, docId }) => {
    await openTogether(alice, bob, docId);
    await bob.context.setOffline(true);
    await expect(bob.doc.status).toHaveAttribute('data-status', 'offline');
    await expect(bob.doc.status).toContainText('Offline');

    await bob.doc.field('architecture', 'Trade-offs').fill('Written offline by Bob');
    await expect(bob.doc.unsynced).toContainText(/\d+ unsaved change/);
    await alice.doc.field('architecture', 'Rationale').fill('Written online by Alice');
    await expect(alice.doc.field('architecture', 'Trade-offs')).toHaveValue('');

    await bob.context.setOffline(false);
    await expect(bob.doc.status).toHaveAttribute('data-status', 'connected', { timeout: 20_000 });
    await expect(bob.doc.unsynced).toHaveCount(0);
    for (const person of [alice, bob]) {
      await expect(person.doc.field('architecture', 'Trade-offs')).toHaveValue(
        'Written offline by Bob',
      );
      await expect(person.doc.field('architecture', 'Rationale')).toHaveValue(
        'Written online by Alice',
      );
    }
    await alice.doc.serverHas('Written offline by Bob');
  });

  test("undo reverts only your own edit, never the other person's", async ({
    alice,
    bob,
    docId,
  }) => {
    await openTogether(alice, bob, docId);
    await alice.doc.field('architecture', 'Pattern').fill('Alice wrote this');
    await bob.doc.field('architecture', 'Rationale').fill('Bob wrote this');
    await expect(alice.doc.field('architecture', 'Rationale')).toHaveValue('Bob wrote this');

    await alice.doc.undo();
    for (const person of [alice, bob]) {
      await expect(person.doc.field('architecture', 'Pattern')).toHaveValue('');
      await expect(person.doc.field('architecture', 'Rationale')).toHaveValue('Bob wrote this');
    }
    // the keyboard shortcut redoes it, again without touching Bob's text
    await alice.doc.field('architecture', 'Trade-offs').click();
    await alice.page.keyboard.press('Control+Shift+Z');
    await expect(bob.doc.field('architecture', 'Pattern')).toHaveValue('Alice wrote this');
    await bob.page.keyboard.press('Control+Z');
    await expect(alice.doc.field('architecture', 'Rationale')).toHaveValue('');
    await expect(alice.doc.field('architecture', 'Pattern')).toHaveValue('Alice wrote this');
  });

  test('a hostile name, colour and caret in awareness render as text, a palette colour and no caret (R29)', async ({
    alice,
    docId,
  }) => {
    await alice.doc.goto(docId);
    // a raw y-websocket client, not the UI, announces itself with markup in its name and CSS in its colour
    const name = '<img src=x onerror="window.__xss=1">';
    await alice.page.evaluate(
      ([id, hostileName]) =>
        new Promise<void>((resolve, reject) => {
          const varUint = (n: number): number[] => {
            const out: number[] = [];
            while (n > 0x7f) {
              out.push((n & 0x7f) | 0x80);
              n = Math.floor(n / 128);
            }
            out.push(n);
            return out;
          };
          const json = new TextEncoder().encode(
            JSON.stringify({
              user: { name: hostileName, color: 'red;}</style><script>window.__xss=2</script>' },
              field: 'sections/architecture/blocks/style/fields/pattern',
              // a caret naming a root type (Yjs would create it on resolve) and a head that is no position
              caret: {
                field: 'sections/architecture/blocks/style/fields/pattern',
                anchor: { tname: 'syspat', assoc: 0 },
                head: '<b>nope</b>',
              },
            }),
          );
          const update = [
            ...varUint(1),
            ...varUint(123456789),
            ...varUint(1),
            ...varUint(json.length),
            ...json,
          ];
          const message = new Uint8Array([1, ...varUint(update.length), ...update]);
          const socket = new WebSocket(`${location.origin.replace('http', 'ws')}/collab/${id}`);
          socket.binaryType = 'arraybuffer';
          socket.onopen = () => {
            socket.send(message);
            (window as unknown as { hostile: WebSocket }).hostile = socket;
            resolve();
          };
          socket.onerror = () => reject(new Error('hostile socket failed'));
        }),
      [docId, name] as const,
    );
    const avatar = alice.doc.avatars.filter({ hasText: name });
    await expect(avatar).toHaveCount(1);
    const ring = alice.doc.ring(alice.doc.field('architecture', 'Pattern'));
    await expect(ring).toHaveText(name);
    const background = await ring.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toMatch(/^rgb\(\d+, \d+, \d+\)$/);
    expect(
      await alice.page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
    ).toBeUndefined();
    await expect(alice.page.locator('img[src="x"]')).toHaveCount(0);
    // the malformed caret is ignored: no caret drawn, the field's name tag shows instead
    await expect(alice.page.getByTestId('remote-caret')).toHaveCount(0);
    await expect(ring).toBeVisible();
    await alice.page.evaluate(() => (window as unknown as { hostile: WebSocket }).hostile.close());
  });
});
