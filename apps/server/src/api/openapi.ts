import { z } from 'zod';
import { CloseCode, closeReason } from '@syspat/protocol';
import {
  createDocBodySchema,
  docDetailSchema,
  docImportedSchema,
  docListSchema,
  docSummarySchema,
  errorSchema,
  healthSchema,
  patchDocBodySchema,
} from './docsSchema.ts';

/**
 * The OpenAPI 3.1 description: paths written by hand here, component schemas generated from the
 * same zod schemas that validate requests (zod's own `toJSONSchema`), so they cannot drift.
 */
export function buildOpenApi(): Record<string, unknown> {
  const components = (io: 'input' | 'output', schemas: Record<string, z.ZodType>) => {
    const registry = z.registry<{ id: string }>();
    for (const [id, s] of Object.entries(schemas)) s.register(registry, { id });
    const out = z.toJSONSchema(registry, {
      io,
      uri: (id) => `#/components/schemas/${id}`,
      unrepresentable: 'any',
    });
    return Object.fromEntries(
      Object.entries(out.schemas).map(([id, s]) => {
        const { $schema: _schema, $id: _id, ...rest } = s;
        return [id, rest];
      }),
    );
  };
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
  const error = (description: string) => ({ description, content: json('Error') });
  const markdown = { 'text/markdown': { schema: { type: 'string' } } };
  const idParam = {
    name: 'id',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'syspat API',
      version: '0.1.0',
      description:
        'Documents of the syspat collaborative editor. Live editing goes through the websocket ' +
        '`/collab/{id}` (y-websocket protocol). Every error is `{ error, message }`.',
    },
    paths: {
      '/api/health': {
        get: {
          summary: 'Liveness and storage health',
          responses: {
            '200': { description: 'Healthy', content: json('Health') },
            '503': { description: 'Storage failing or shutting down', content: json('Health') },
          },
        },
      },
      '/api/metrics': {
        get: {
          summary: 'Prometheus metrics (text format)',
          responses: {
            '200': {
              description: 'Metrics',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/api/docs': {
        get: {
          summary: 'List documents, most recently changed first',
          responses: { '200': { description: 'The documents', content: json('DocumentList') } },
        },
        post: {
          summary: 'Create a document from the template (JSON) or by importing markdown',
          parameters: [
            {
              name: 'title',
              in: 'query',
              required: false,
              description: 'Title of an imported document (default: its # heading)',
              schema: { type: 'string' },
            },
          ],
          requestBody: { required: false, content: { ...json('CreateDocument'), ...markdown } },
          responses: {
            '201': {
              description: 'Created; a markdown import also says what it recognized (`report`)',
              content: {
                'application/json': {
                  schema: { oneOf: [ref('ImportedDocument'), ref('DocumentSummary')] },
                },
              },
            },
            '400': error('Invalid body'),
            '413': error('Body larger than REST_BODY_LIMIT_BYTES'),
            '415': error('Neither JSON nor markdown'),
            '429': error('Rate limited'),
          },
        },
      },
      '/api/docs/{id}': {
        parameters: [idParam],
        get: {
          summary: 'Document metadata',
          responses: {
            '200': { description: 'The document', content: json('Document') },
            '400': error('Invalid id'),
            '404': error('No such document'),
          },
        },
        patch: {
          summary: 'Rename a document',
          requestBody: { required: true, content: json('UpdateDocument') },
          responses: {
            '200': { description: 'Renamed', content: json('DocumentSummary') },
            '400': error('Invalid id or body'),
            '404': error('No such document'),
          },
        },
        delete: {
          summary: 'Delete a document; open editors are closed with 4404',
          responses: { '204': { description: 'Deleted' }, '404': error('No such document') },
        },
      },
      '/api/docs/{id}/markdown': {
        parameters: [idParam],
        get: {
          summary: 'Canonical markdown of the live document',
          parameters: [
            { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'The markdown (with an ETag)', content: markdown },
            '304': { description: 'Unchanged since the ETag given in If-None-Match' },
            '404': error('No such document'),
          },
        },
        put: {
          summary:
            'Import markdown into the live document as the smallest change; editors see it at once',
          parameters: [
            { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: markdown },
          responses: {
            '200': {
              description:
                'Imported (the ETag of the new export), with what the import recognized; the name follows the imported # heading',
              content: json('ImportedDocument'),
            },
            '404': error('No such document'),
            '412': error('If-Match did not match the current export'),
            '413': error('Body larger than REST_BODY_LIMIT_BYTES'),
            '415': error('Not text/markdown'),
          },
        },
      },
    },
    components: {
      schemas: {
        ...components('input', {
          CreateDocument: createDocBodySchema,
          UpdateDocument: patchDocBodySchema,
        }),
        ...components('output', {
          DocumentSummary: docSummarySchema,
          ImportedDocument: docImportedSchema,
          Document: docDetailSchema,
          DocumentList: docListSchema,
          Health: healthSchema,
          Error: errorSchema,
        }),
      },
    },
    'x-websocket-close-codes': Object.fromEntries(
      Object.entries(CloseCode).map(([name, code]) => [code, { name, reason: closeReason[code] }]),
    ),
  };
}
