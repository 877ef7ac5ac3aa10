import { fileURLToPath } from 'node:url';
import {
  test as base,
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import { DocumentPage, ListPage } from './pages.ts';

/**
 * Fixtures: the server address (started by globalSetup), a fresh document per test, one person
 * (`person`), and two collaborators in separate browser contexts (`alice`, `bob`) with their
 * names and colours already chosen. Every page fails its test on a console error or warning.
 */

export interface Person {
  readonly name: string;
  readonly color: string;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly list: ListPage;
  readonly doc: DocumentPage;
}

interface Fixtures {
  docId: string;
  person: Person;
  alice: Person;
  bob: Person;
  consoleProblems: string[];
}

/** Console messages that are not the app's fault (the browser's own, under network emulation). */
const BENIGN = [/net::ERR_INTERNET_DISCONNECTED/, /WebSocket connection to .* failed/];

export function baseUrl(): string {
  const url = process.env.SYSPAT_BASE_URL;
  if (url === undefined)
    throw new Error('SYSPAT_BASE_URL is not set: run through playwright.config.ts (globalSetup)');
  return url;
}

async function openPerson(
  browser: Browser,
  name: string,
  color: string,
  problems: string[],
): Promise<Person> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  await context.addInitScript(
    ([n, c]) => {
      if (localStorage.getItem('syspat.identity') === null)
        localStorage.setItem('syspat.identity', JSON.stringify({ name: n, color: c }));
    },
    [name, color] as const,
  );
  const page = await context.newPage();
  watchConsole(page, name, problems);
  return { name, color, context, page, list: new ListPage(page), doc: new DocumentPage(page) };
}

export function watchConsole(page: Page, who: string, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    const text = message.text();
    if (BENIGN.some((pattern) => pattern.test(text))) return;
    problems.push(`${who} console.${message.type()}: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`${who} page error: ${error.message}`));
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures destructure their dependencies
  baseURL: async ({}, use) => {
    await use(baseUrl());
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures destructure their dependencies
  consoleProblems: async ({}, use) => {
    const problems: string[] = [];
    await use(problems);
    expect(problems, 'no console errors or warnings').toEqual([]);
  },
  docId: async ({ request }, use) => {
    const response = await request.post('/api/docs', { data: { title: 'E2E document' } });
    expect(response.status()).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await use(id);
  },
  person: async ({ browser, consoleProblems }, use) => {
    const person = await openPerson(browser, 'Ada Lovelace', '#3e63dd', consoleProblems);
    await use(person);
    await person.context.close();
  },
  alice: async ({ browser, consoleProblems }, use) => {
    const alice = await openPerson(browser, 'Alice', '#e5484d', consoleProblems);
    await use(alice);
    await alice.context.close();
  },
  bob: async ({ browser, consoleProblems }, use) => {
    const bob = await openPerson(browser, 'Bob', '#30a46c', consoleProblems);
    await use(bob);
    await bob.context.close();
  },
});

export { expect };

/** An absolute path from the repository root. */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}

/** Where README screenshots go (committed). */
export function screenshotPath(name: string): string {
  return repoPath(`e2e/screenshots/${name}`);
}

/** Creates a document from markdown through the API and returns its id. */
export async function createFromMarkdown(
  request: APIRequestContext,
  markdown: string,
  title: string,
): Promise<string> {
  const response = await request.post(`/api/docs?title=${encodeURIComponent(title)}`, {
    headers: { 'content-type': 'text/markdown; charset=utf-8' },
    data: markdown,
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}
