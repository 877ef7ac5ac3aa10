import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp, loadConfig } from '../src/index.ts';
import { buildTestEnv } from './support.ts';

/** Issue 9: the # heading names the document; imports say what they recognized. */
describe('document name and import report over REST', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildApp(loadConfig(buildTestEnv({})));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const markdownOf = async (id: string) => (await app.inject(`/api/docs/${id}/markdown`)).body;
  const post = (payload: string, query = '') =>
    app.inject({
      method: 'POST',
      url: `/api/docs${query}`,
      headers: { 'content-type': 'text/markdown' },
      payload,
    });

  const bank = [
    '# System Patterns: Lumen',
    '',
    '## Core Components',
    '',
    '### Component 1: Gateway',
    '- **Purpose**: Routes requests',
    '',
    '## Release Notes',
    '',
    'Kept as written.',
    '',
  ].join('\n');

  it('names an imported file after its # heading and says what it recognized', async () => {
    const res = await post(bank);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      title: 'Lumen',
      report: { components: 1, extraSections: ['Release Notes'] },
    });
    expect(res.json<{ report: { text: string } }>().report.text).toBe(
      '1 component; 1 extra section',
    );
  });

  it('writes an explicit ?title= into the # heading, so list and document agree', async () => {
    const res = await post(bank, '?title=Copy%20of%20Lumen');
    const { id, title } = res.json<{ id: string; title: string }>();
    expect(title).toBe('Copy of Lumen');
    expect((await markdownOf(id)).split('\n')[0]).toBe('# System Patterns: Copy of Lumen');
  });

  it('renames by rewriting the # heading; a client that already did says heading: false', async () => {
    const { id } = (await post(bank)).json<{ id: string }>();
    await app.inject({ method: 'PATCH', url: `/api/docs/${id}`, payload: { title: 'Atlas' } });
    expect((await markdownOf(id)).split('\n')[0]).toBe('# System Patterns: Atlas');
    const listing = await app.inject({
      method: 'PATCH',
      url: `/api/docs/${id}`,
      payload: { title: 'Only the list', heading: false },
    });
    expect(listing.json()).toMatchObject({ title: 'Only the list' });
    expect((await markdownOf(id)).split('\n')[0]).toBe('# System Patterns: Atlas');
  });

  it('PUT markdown carries the report and the listing follows the imported heading', async () => {
    const { id } = (await post(bank)).json<{ id: string }>();
    const res = await app.inject({
      method: 'PUT',
      url: `/api/docs/${id}/markdown`,
      headers: { 'content-type': 'text/markdown' },
      payload: bank
        .replace('Lumen', 'Lumen 2')
        .replace('## Release Notes\n\nKept as written.\n', ''),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      title: 'Lumen 2',
      report: { text: '1 component', extraSections: [] },
    });
  });
});
