import { z } from 'zod';
import type { BlockSpec, SectionSpec, TemplateSpec } from '@syspat/template';
import { systemPatternsTemplate } from '@syspat/template';
import { MODEL_VERSION } from './modelVersion.ts';
import type { SyspatDocument } from './types.ts';

const id = z.string().min(1).max(64);
const item = z.strictObject({ id, text: z.string() });
const extraField = z.strictObject({ id, label: z.string(), value: z.string() });

function valuesOf(fieldIds: readonly string[]) {
  // An empty enum is not allowed by zod; a card list without fields takes no keys.
  return fieldIds.length === 0
    ? z.strictObject({})
    : z.partialRecord(z.enum(fieldIds as [string, ...string[]]), z.string());
}

function blockSchema(spec: BlockSpec) {
  switch (spec.kind) {
    case 'diagram':
      return z.strictObject({
        kind: z.literal('diagram'),
        notes: z.string(),
        diagram: z.strictObject({ lang: z.string(), code: z.string() }).nullable(),
      });
    case 'fields':
      return z.strictObject({
        kind: z.literal('fields'),
        notes: z.string(),
        fields: valuesOf(spec.fields.map((f) => f.id)),
        extraFields: z.array(extraField),
      });
    case 'list':
      return z.strictObject({
        kind: z.literal('list'),
        notes: z.string(),
        items: z.array(item).nullable(),
      });
    case 'table':
      return z.strictObject({
        kind: z.literal('table'),
        notes: z.string(),
        table: z
          .strictObject({
            extraColumns: z.array(z.strictObject({ id, label: z.string() })),
            rows: z.array(z.strictObject({ id, cells: z.record(z.string(), z.string()) })),
          })
          .nullable(),
      });
    case 'cards':
      return z.strictObject({
        kind: z.literal('cards'),
        cards: z.array(
          z.strictObject({
            id,
            title: z.string(),
            notes: z.string(),
            fields: valuesOf(spec.fields.map((f) => f.id)),
            extraFields: z.array(extraField),
            steps: z.array(item).nullable(),
          }),
        ),
      });
  }
}

function sectionSchema(spec: SectionSpec) {
  return z.strictObject({
    notes: z.string(),
    blocks: z.strictObject(
      Object.fromEntries(spec.blocks.map((b) => [b.id, blockSchema(b).nullable()])),
    ),
    extraBlocks: z.array(z.strictObject({ id, heading: z.string(), body: z.string() })),
  });
}

/** The zod schema of a document of the given template, built from its description. */
export function buildDocumentSchema(template: TemplateSpec): z.ZodType<SyspatDocument> {
  const sectionIds = template.sections.map((s) => s.id);
  return z.strictObject({
    version: z.literal(MODEL_VERSION),
    frontMatter: z.string().nullable(),
    title: z.string().nullable(),
    intro: z.string(),
    sections: z.strictObject(
      Object.fromEntries(template.sections.map((s) => [s.id, sectionSchema(s).nullable()])),
    ),
    extraSections: z.array(
      z.strictObject({
        id,
        heading: z.string(),
        depth: z.number().int().min(1).max(6),
        body: z.string(),
        after: z.enum(sectionIds as [string, ...string[]]).nullable(),
      }),
    ),
    footer: z.string().nullable(),
  }) as unknown as z.ZodType<SyspatDocument>;
}

export const documentSchema = buildDocumentSchema(systemPatternsTemplate);
