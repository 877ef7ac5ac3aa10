import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { importReport, nameFromHeading } from '@syspat/markdown';
import { DocLoadError, DocMissingError } from '../collab/CollabServer.ts';
import type * as Y from 'yjs';
import { newDocId, parseDocId } from '../docId.ts';
import {
  assertEditable,
  documentTitle,
  exportMarkdown,
  importMarkdown,
  patchFromModel,
  renameHeading,
  templateModel,
  toInitialState,
  withName,
} from '../documents.ts';
import {
  AppError,
  docNotFound,
  documentUnavailable,
  invalidDocId,
  unsupportedMediaType,
} from '../errors.ts';
import { validate } from '../validate.ts';
import {
  createDocBodySchema,
  createDocQuerySchema,
  patchDocBodySchema,
  toSummary,
} from './docsSchema.ts';
import { checkMarkdownNesting, installStrictMarkdownParser } from './markdownLimits.ts';

const MARKDOWN_TYPE = 'text/markdown; charset=utf-8';

const etagOf = (body: string): string =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/** True when an If-None-Match / If-Match header lists `etag` (or `*`). */
const matchesEtag = (header: string | undefined, etag: string): boolean =>
  header !== undefined &&
  header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });

const isMarkdown = (request: FastifyRequest): boolean => {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'text/markdown' || type === 'text/plain';
};

function docIdParam(request: FastifyRequest<{ Params: { id: string } }>): string {
  const id = parseDocId(request.params.id);
  if (id === undefined) throw invalidDocId();
  return id;
}

/** Document CRUD plus markdown import and export, under /api/docs. */
export const docsRoutes: FastifyPluginAsync = (app) => {
  const { storage, collab } = app;
  installStrictMarkdownParser(app);

  /** Maps the core's load failures of a live document to 404 / 503. */
  async function live<T>(id: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof DocMissingError) throw docNotFound(id);
      if (err instanceof DocLoadError) throw documentUnavailable(id);
      throw err;
    }
  }

  /** The export of committed state only (see `CollabServer.readCommitted`). */
  const readMarkdown = (id: string): Promise<string> =>
    live(id, () => collab.readCommitted(id, exportMarkdown));

  app.get('/docs', async () => {
    const docs = await storage.listDocs();
    return { docs: docs.map(toSummary) };
  });

  app.post('/docs', async (request, reply) => {
    let title: string;
    let model;
    if (isMarkdown(request)) {
      if (typeof request.body !== 'string')
        throw unsupportedMediaType(request.headers['content-type']);
      checkMarkdownNesting(request.body);
      model = importMarkdown(request.body);
      const given = validate(createDocQuerySchema, request.query, 'query').title;
      title = documentTitle(given, model);
      if (given !== undefined) model = withName(model, title);
    } else if (
      request.body === undefined ||
      request.body === null ||
      typeof request.body === 'object'
    ) {
      const given = validate(createDocBodySchema, request.body ?? {}, 'body').title;
      title = documentTitle(given, undefined);
      model = given === undefined ? templateModel() : withName(templateModel(), title);
    } else {
      throw unsupportedMediaType(request.headers['content-type']);
    }
    const now = Date.now();
    const meta = { id: newDocId(), title, createdAt: now, updatedAt: now };
    await storage.createDoc(meta, toInitialState(model));
    request.log.info({ docId: meta.id }, 'document created');
    const summary = toSummary(meta);
    return reply
      .code(201)
      .header('location', `/api/docs/${meta.id}`)
      .send(isMarkdown(request) ? { ...summary, report: importReport(model) } : summary);
  });

  app.get<{ Params: { id: string } }>('/docs/:id', async (request) => {
    const id = docIdParam(request);
    const meta = await storage.getDocMeta(id);
    if (meta === undefined) throw docNotFound(id);
    return { ...toSummary(meta), clients: collab.clientsOf(id) };
  });

  app.patch<{ Params: { id: string } }>('/docs/:id', async (request) => {
    const id = docIdParam(request);
    const { title, heading } = validate(patchDocBodySchema, request.body, 'body');
    const meta = await storage.renameDoc(id, title, Date.now());
    if (meta === undefined) throw docNotFound(id);
    // the # heading is the document's name: a rename rewrites it, so the two never diverge
    if (heading !== false)
      await live(id, () => collab.write(id, (doc) => renameHeading(doc, title, undefined)));
    return toSummary(meta);
  });

  app.delete<{ Params: { id: string } }>('/docs/:id', async (request, reply) => {
    const id = docIdParam(request);
    const existed = await storage.deleteDoc(id);
    if (!existed) throw docNotFound(id);
    collab.closeDoc(id);
    request.log.info({ docId: id }, 'document deleted');
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>('/docs/:id/markdown', async (request, reply) => {
    const id = docIdParam(request);
    const markdown = await readMarkdown(id);
    const etag = etagOf(markdown);
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type(MARKDOWN_TYPE).send(markdown);
  });

  app.put<{ Params: { id: string } }>('/docs/:id/markdown', async (request, reply) => {
    const id = docIdParam(request);
    if (!isMarkdown(request) || typeof request.body !== 'string') {
      throw unsupportedMediaType(request.headers['content-type']);
    }
    checkMarkdownNesting(request.body);
    const model = importMarkdown(request.body);
    const ifMatch = request.headers['if-match'];
    // The precondition and the patch run in the write's one transaction: nothing can come
    // between them, and a failed precondition changes nothing.
    const importInto = (doc: Y.Doc) => {
      assertEditable(doc);
      if (ifMatch !== undefined && !matchesEtag(ifMatch, etagOf(exportMarkdown(doc)))) {
        throw new AppError(
          'precondition_failed',
          412,
          'The document changed since you read it (If-Match).',
        );
      }
      patchFromModel(doc, model, undefined);
    };
    await live(id, () => collab.write(id, importInto));
    const markdown = await readMarkdown(id);
    let meta = await storage.getDocMeta(id);
    if (meta === undefined) throw docNotFound(id);
    // the imported # heading names the document: the listing follows it
    const named = nameFromHeading(model.title) === null ? null : documentTitle(undefined, model);
    if (named !== null && named !== meta.title)
      meta = (await storage.renameDoc(id, named, Date.now())) ?? meta;
    return reply
      .header('etag', etagOf(markdown))
      .send({ ...toSummary(meta), report: importReport(model) });
  });

  return Promise.resolve();
};
