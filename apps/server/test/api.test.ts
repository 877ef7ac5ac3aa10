import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMarkdown, printMarkdown } from '@syspat/markdown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp, loadConfig } from '../src/index.ts';
import { SERVER_DIR, buildTestEnv } from './support.ts';

const repoRoot = path.resolve(SERVER_DIR, '../..');
const corpusDir = path.resolve(repoRoot, '../shared/corpus');
const corpus = existsSync(corpusDir)
  ? readdirSync(corpusDir)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((name) => ({ name, text: readFileSync(path.join(corpusDir, name), 'utf8') }))
  : [];
const templateFile = path.join(repoRoot, 'packages/template/fixtures/system-patterns.md');

const fmt = (markdown: string) => printMarkdown(parseMarkdown(markdown));

async function build(overrides: Record<string, string> = {}): Promise<App> {
  const app = await buildApp(loadConfig(buildTestEnv(overrides)));
  await app.ready();
  return app;
}

describe('REST API', () => {
  let app: App;
  beforeAll(async () => {
    app = await build();
  });
  afterAll(async () => {
    await app.close();
  });

  const create = async (payload: object = { title: 'Doc' }) => {
    const res = await app.inject({ method: 'POST', url: '/api/docs', payload });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string; title: string; createdAt: string; updatedAt: string }>();
  };

  it('reports health with storage and counts', async () => {
    const res = await app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', storage: true, connections: 0 });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('creates a document from the template with an unguessable id', async () => {
    const doc = await create({ title: '  Billing service  ' });
    expect(doc.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(doc.title).toBe('Billing service');
    const md = await app.inject(`/api/docs/${doc.id}/markdown`);
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    // the template, named: the # heading carries the name (one source of truth)
    if (existsSync(templateFile))
      expect(md.body).toBe(
        fmt(readFileSync(templateFile, 'utf8')).replace(
          /^# System Patterns\n/,
          '# System Patterns: Billing service\n',
        ),
      );
    expect(md.body.startsWith('# System Patterns: Billing service\n')).toBe(true);
  });

  it('creates "Untitled" when no title is given', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/docs' });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ title: string }>().title).toBe('Untitled');
  });

  it('imports markdown on POST, taking the title from the # heading', async () => {
    const markdown = '# Payments Platform\n\n## System Architecture Overview\n\nSome notes.\n';
    const res = await app.inject({
      method: 'POST',
      url: '/api/docs',
      headers: { 'content-type': 'text/markdown' },
      payload: markdown,
    });
    expect(res.statusCode).toBe(201);
    const doc = res.json<{ id: string; title: string }>();
    expect(doc.title).toBe('Payments Platform');
    const md = await app.inject(`/api/docs/${doc.id}/markdown`);
    expect(md.body).toBe(fmt(markdown));
  });

  it('takes the title of an import from ?title= when given', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/docs?title=Given',
      headers: { 'content-type': 'text/markdown' },
      payload: '# From Heading\n',
    });
    expect(res.json<{ title: string }>().title).toBe('Given');
  });

  it('lists documents, most recently changed first', async () => {
    const first = await create({ title: 'first' });
    await new Promise((r) => setTimeout(r, 5));
    const second = await create({ title: 'second' });
    await new Promise((r) => setTimeout(r, 5));
    await app.inject({
      method: 'PATCH',
      url: `/api/docs/${first.id}`,
      payload: { title: 'first, renamed' },
    });
    const res = await app.inject('/api/docs');
    const ids = res.json<{ docs: { id: string }[] }>().docs.map((d) => d.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(res.json<{ docs: object[] }>().docs[0]).toEqual({
      id: first.id,
      title: 'first, renamed',
      createdAt: expect.any(String) as string,
      updatedAt: expect.any(String) as string,
    });
  });

  it('gets, renames and deletes a document', async () => {
    const doc = await create();
    const got = await app.inject(`/api/docs/${doc.id}`);
    expect(got.json()).toMatchObject({ id: doc.id, title: 'Doc', clients: 0 });
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/api/docs/${doc.id}`,
      payload: { title: 'New' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ title: 'New' });
    const deleted = await app.inject({ method: 'DELETE', url: `/api/docs/${doc.id}` });
    expect(deleted.statusCode).toBe(204);
    const gone = await app.inject(`/api/docs/${doc.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({
      error: 'not_found',
      message: `No document with id "${doc.id}".`,
    });
    expect((await app.inject(`/api/docs/${doc.id}/markdown`)).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/docs/${doc.id}` })).statusCode).toBe(
      404,
    );
  });

  it('validates every input with a JSON error naming the problem', async () => {
    const cases = [
      { method: 'POST' as const, url: '/api/docs', payload: { title: '' } },
      { method: 'POST' as const, url: '/api/docs', payload: { title: 'x'.repeat(201) } },
      { method: 'POST' as const, url: '/api/docs', payload: { title: 'ok', extra: 1 } },
      { method: 'POST' as const, url: '/api/docs', payload: { title: 'bad\u0000title' } },
      { method: 'PATCH' as const, url: '/api/docs/abc', payload: {} },
      { method: 'PATCH' as const, url: '/api/docs/abc', payload: { title: 42 } },
    ];
    for (const c of cases) {
      const res = await app.inject(c);
      expect(res.statusCode, JSON.stringify(c)).toBe(400);
      expect(res.json<{ error: string }>().error).toBe('bad_request');
    }
    const broken = await app.inject({
      method: 'POST',
      url: '/api/docs',
      headers: { 'content-type': 'application/json' },
      payload: '{"title":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json<{ error: string }>().error).toBe('bad_request');
  });

  it('refuses malformed document ids with 400 after full decoding (R10)', async () => {
    for (const id of [
      '%252e%252e',
      'a%2Fb',
      '..%5C..%5C',
      '%00',
      'a'.repeat(65),
      '%E2%80%AEabc',
      'a%20b',
      '%3Cscript%3E',
    ]) {
      const res = await app.inject(`/api/docs/${id}`);
      expect(res.statusCode, id).toBe(400);
      expect(res.json<{ error: string }>().error).toBe('invalid_doc_id');
    }
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await app.inject('/api/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'No route for GET /api/nope.' });
  });

  it('refuses bodies that are neither JSON nor markdown with 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/docs',
      headers: { 'content-type': 'application/xml' },
      payload: '<x/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json<{ error: string }>().error).toBe('unsupported_media_type');
  });

  it('exports with an ETag and answers If-None-Match with 304', async () => {
    const doc = await create();
    const first = await app.inject(`/api/docs/${doc.id}/markdown`);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await app.inject({
      url: `/api/docs/${doc.id}/markdown`,
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    await app.inject({
      method: 'PUT',
      url: `/api/docs/${doc.id}/markdown`,
      headers: { 'content-type': 'text/markdown' },
      payload: first.body.replace(
        '## System Architecture Overview',
        '## System Architecture Overview\n\nChanged.',
      ),
    });
    const changed = await app.inject({
      url: `/api/docs/${doc.id}/markdown`,
      headers: { 'if-none-match': etag },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('refuses a PUT whose If-Match no longer matches with 412', async () => {
    const doc = await create();
    const res = await app.inject({
      method: 'PUT',
      url: `/api/docs/${doc.id}/markdown`,
      headers: { 'content-type': 'text/markdown', 'if-match': '"stale"' },
      payload: '# System Patterns\n',
    });
    expect(res.statusCode).toBe(412);
    expect(res.json<{ error: string }>().error).toBe('precondition_failed');
  });

  it('refuses PUT markdown with another content type (415) and for unknown docs (404)', async () => {
    const doc = await create();
    const wrongType = await app.inject({
      method: 'PUT',
      url: `/api/docs/${doc.id}/markdown`,
      payload: { a: 1 },
    });
    expect(wrongType.statusCode).toBe(415);
    const missing = await app.inject({
      method: 'PUT',
      url: '/api/docs/NoSuchDoc/markdown',
      headers: { 'content-type': 'text/markdown' },
      payload: '# x\n',
    });
    expect(missing.statusCode).toBe(404);
  });

  describe.skipIf(corpus.length === 0)(
    'PUT of a corpus file, then GET, equals syspat fmt of it',
    () => {
      it.each(corpus.map((c) => [c.name, c.text] as const))('%s', async (_name, text) => {
        const doc = await create();
        const put = await app.inject({
          method: 'PUT',
          url: `/api/docs/${doc.id}/markdown`,
          headers: { 'content-type': 'text/markdown; charset=utf-8' },
          payload: text,
        });
        expect(put.statusCode).toBe(200);
        const got = await app.inject(`/api/docs/${doc.id}/markdown`);
        expect(got.body).toBe(fmt(text));
        expect(put.headers.etag).toBe(got.headers.etag);
      });
    },
  );

  it('serves an OpenAPI 3.1 description of every route', async () => {
    const res = await app.inject('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, object>;
      components: { schemas: Record<string, object> };
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/docs',
        '/api/docs/{id}',
        '/api/docs/{id}/markdown',
        '/api/health',
        '/api/metrics',
      ].sort(),
    );
    expect(doc.components.schemas.CreateDocument).toMatchObject({
      type: 'object',
      properties: { title: { type: 'string', maxLength: 200 } },
      additionalProperties: false,
    });
    // every $ref points at a defined schema
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of refs)
      expect(doc.components.schemas[ref.split('/').pop()!], ref).toBeDefined();
  });

  it('serves Prometheus metrics', async () => {
    await app.inject('/api/health');
    const res = await app.inject('/api/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    for (const name of [
      'syspat_ws_connections',
      'syspat_docs_loaded',
      'syspat_updates_per_second',
      'syspat_updates_received_total',
      'syspat_storage_write_seconds_bucket',
      'syspat_http_requests_total',
    ]) {
      expect(res.body).toContain(name);
    }
    expect(res.body).toMatch(/^syspat_storage_write_seconds_bucket\{le="\+Inf"\} \d+$/m);
  });
});

describe('REST limits', () => {
  it('refuses a body over REST_BODY_LIMIT_BYTES with 413', async () => {
    const app = await build({ REST_BODY_LIMIT_BYTES: '2048' });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/docs',
        headers: { 'content-type': 'text/markdown' },
        payload: '# big\n' + 'x'.repeat(4096),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json<{ error: string }>().error).toBe('payload_too_large');
      expect((await app.inject('/api/docs')).json<{ docs: object[] }>().docs).toHaveLength(0);
    } finally {
      await app.close();
    }
  });

  it('rate-limits API requests per address with 429 and Retry-After, sparing health checks', async () => {
    const app = await build({ REST_REQUESTS_PER_MINUTE: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await app.inject('/api/docs')).statusCode);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      const limited = await app.inject('/api/docs');
      expect(limited.json<{ error: string }>().error).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // another address is unaffected; health is never limited
      expect((await app.inject({ url: '/api/docs', remoteAddress: '10.0.0.2' })).statusCode).toBe(
        200,
      );
      expect((await app.inject('/api/health')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
