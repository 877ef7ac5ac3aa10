import fs from 'node:fs';
import path from 'node:path';
import { parseMarkdown, printMarkdown } from '@syspat/markdown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp, loadConfig } from '../src/index.ts';
import {
  TEST_DATABASE_URL,
  assertPostgresUp,
  dropSchemas,
  newTestSchema,
} from '../src/storage/postgresTestSchema.ts';
import { buildTestEnv } from './support.ts';

const fmt = (markdown: string) => printMarkdown(parseMarkdown(markdown));

describe('the server on Postgres (DATABASE_URL)', () => {
  const schema = newTestSchema();
  const env = buildTestEnv({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema });
  const apps: App[] = [];
  const build = async () => {
    const app = await buildApp(loadConfig(env));
    await app.ready();
    apps.push(app);
    return app;
  };

  beforeAll(assertPostgresUp);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await dropSchemas([schema]);
    fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
  });

  it('serves a document created, edited over REST and read back, also by a second instance', async () => {
    const app = await build();
    expect((await app.inject('/api/health')).json()).toMatchObject({ status: 'ok', storage: true });
    const created = await app.inject({
      method: 'POST',
      url: '/api/docs',
      headers: { 'content-type': 'text/markdown' },
      payload: '# Payments\n\n## System Architecture Overview\n\nFirst notes.\n',
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    const edited = '# Payments\n\n## System Architecture Overview\n\nFirst notes, then more.\n';
    const put = await app.inject({
      method: 'PUT',
      url: `/api/docs/${id}/markdown`,
      headers: { 'content-type': 'text/markdown' },
      payload: edited,
    });
    expect(put.statusCode).toBe(200);
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/api/docs/${id}`,
      payload: { title: 'Payments platform' },
    });
    expect(renamed.statusCode).toBe(200);
    // the # heading names the document, so a rename rewrites it
    const afterRename = edited.replace('# Payments\n', '# Payments platform\n');
    expect((await app.inject(`/api/docs/${id}/markdown`)).body).toBe(fmt(afterRename));

    // another instance on the same schema reads it from Postgres, not from memory or SQLite
    const other = await build();
    expect((await other.inject(`/api/docs/${id}/markdown`)).body).toBe(fmt(afterRename));
    expect((await other.inject('/api/docs')).json()).toMatchObject({
      docs: [{ id, title: 'Payments platform' }],
    });
    expect(fs.existsSync(path.join(env.DATA_DIR!, 'syspat.sqlite'))).toBe(false);
  });
});
