import { z } from 'zod';
import { DOC_ID_PATTERN } from '../docId.ts';
import type { DocMeta } from '../storage/Storage.ts';

/** zod schemas of the documents API: request validation and the OpenAPI description. */

export const titleSchema = z
  .string()
  .trim()
  .min(1, 'title must not be empty')
  .max(200, 'title must be at most 200 characters')
  .refine(
    (t) => ![...t].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
    'title must not contain control characters',
  );

export const createDocBodySchema = z
  .strictObject({ title: titleSchema.optional() })
  .describe('Start a document from the unfilled System Patterns template.');

export const createDocQuerySchema = z.strictObject({ title: titleSchema.optional() });

export const patchDocBodySchema = z.strictObject({
  title: titleSchema,
  heading: z
    .boolean()
    .optional()
    .describe(
      "Also rewrite the document's # heading (default true); false when the client already did",
    ),
});

export const docSummarySchema = z.object({
  id: z.string().regex(DOC_ID_PATTERN),
  title: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const importReportSchema = z
  .object({
    components: z.number().int().nonnegative(),
    patterns: z.number().int().nonnegative(),
    decisions: z.number().int().nonnegative(),
    paths: z.number().int().nonnegative(),
    diagrams: z.number().int().nonnegative(),
    tables: z.number().int().nonnegative(),
    rows: z.number().int().nonnegative(),
    notesOnlySections: z.array(z.string()),
    extraSections: z.array(z.string()),
    text: z
      .string()
      .describe('One line for people, e.g. "7 components, 1 diagram; 2 extra sections"'),
  })
  .describe('What a markdown import recognized');

export const docImportedSchema = docSummarySchema.extend({ report: importReportSchema });

export const docDetailSchema = docSummarySchema.extend({
  clients: z.number().int().nonnegative().describe('Websocket clients editing it now'),
});

export const docListSchema = z.object({ docs: z.array(docSummarySchema) });

export const errorSchema = z.object({
  error: z
    .string()
    .describe('Stable machine-readable code, e.g. not_found, invalid_doc_id, rate_limited'),
  message: z.string(),
});

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'shutting_down']),
  storage: z.boolean(),
  connections: z.number().int(),
  loadedDocs: z.number().int(),
  uptimeSeconds: z.number(),
});

export type DocSummary = z.infer<typeof docSummarySchema>;

export const toSummary = (meta: DocMeta): DocSummary => ({
  id: meta.id,
  title: meta.title,
  createdAt: new Date(meta.createdAt).toISOString(),
  updatedAt: new Date(meta.updatedAt).toISOString(),
});
