import { META_NAME } from '@syspat/ydoc';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, buildTestEnv, createDoc, startServer } from './support.ts';

describe('format versions on the server (R41)', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  it('serves a document of a newer layout for reading, refuses to import into it, and keeps it so across a restart', async () => {
    const env = buildTestEnv();
    const first = await startServer(env);
    const id = await createDoc(first.app, 'From the future');
    await first.app.collab.write(id, (doc) => doc.getMap(META_NAME).set('schemaVersion', 99));
    const put = () =>
      first.app.inject({
        method: 'PUT',
        url: `/api/docs/${id}/markdown`,
        headers: { 'content-type': 'text/markdown' },
        payload: '# Overwritten\n',
      });
    const refused = await put();
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'document_too_new' });
    expect(refused.json<{ message: string }>().message).toMatch(/Fix: upgrade syspat/);
    const before = await first.app.inject(`/api/docs/${id}/markdown`);
    expect(before.statusCode).toBe(200);
    await first.close();

    const again = await startServer(env);
    servers.push(again);
    const stored = await again.app.storage.loadDoc(id);
    const after = await again.app.inject(`/api/docs/${id}/markdown`);
    expect(after.body).toBe(before.body);
    // loading it ran the migrations, which wrote nothing to a newer document
    await again.app.collab.flushNow();
    expect((await again.app.storage.loadDoc(id))?.lastSeq).toBe(stored?.lastSeq);
  });

  it('imports markdown into a current document as before', async () => {
    const server = await startServer();
    servers.push(server);
    const id = await createDoc(server.app);
    const res = await server.app.inject({
      method: 'PUT',
      url: `/api/docs/${id}/markdown`,
      headers: { 'content-type': 'text/markdown' },
      payload: '# Billing\n',
    });
    expect(res.statusCode).toBe(200);
    expect((await server.app.inject(`/api/docs/${id}/markdown`)).body).toMatch(/^# Billing\n/);
  });
});
