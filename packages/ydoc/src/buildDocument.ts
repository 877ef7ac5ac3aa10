import type { Block, Card, KnownSection, SyspatDocument } from '@syspat/model';
import { createDocument, sequentialIds, type IdFactory } from '@syspat/model';
import { systemPatternsTemplate } from '@syspat/template';

/**
 * Test and benchmark data (not exported from the package): documents that use every part of
 * the model, null next to empty, fields missing next to fields present, extra columns, steps,
 * extra sections and blocks, front matter, non-ASCII text.
 */

function section(doc: SyspatDocument, id: string): KnownSection {
  const found = doc.sections[id];
  if (!found) throw new Error(`no section ${id}`);
  return found;
}

function withBlock(known: KnownSection, id: string, block: Block | null): KnownSection {
  return { ...known, blocks: { ...known.blocks, [id]: block } };
}

export function buildComponentCard(ids: IdFactory, n: number): Card {
  return {
    id: ids(),
    title: `Component ${n}: ingest-${n} 🚀`,
    notes: n % 3 === 0 ? `Owned by team ${n % 7}.\n\n> keep it small` : '',
    fields: {
      purpose: `Receives events for shard ${n} and normalises them`,
      responsibilities: 'Validation, enrichment, **fan-out**',
      technology: `Node 20, Fastify, Redis \`stream:${n}\``,
      ...(n % 2 === 0 ? { interfaces: 'REST `/api/v1/events`, websocket' } : {}),
      location: `services/ingest-${n}/`,
    },
    extraFields: n % 4 === 0 ? [{ id: ids(), label: 'Owner', value: `@team-${n}` }] : [],
    steps: null,
  };
}

/** A document that uses every part of the model. */
export function buildFilledDocument(
  overrides: Partial<SyspatDocument> = {},
  ids: IdFactory = sequentialIds('f'),
): SyspatDocument {
  const doc = createDocument(systemPatternsTemplate, ids);
  const architecture = section(doc, 'architecture');
  const components = section(doc, 'components');
  const patterns = section(doc, 'patterns');
  const data = section(doc, 'data');
  const integration = section(doc, 'integration');
  const paths = section(doc, 'paths');
  const decisions = section(doc, 'decisions');

  const filled: SyspatDocument = {
    ...doc,
    frontMatter: '---\ntitle: Billing\nowner: platform\n---',
    title: 'System Patterns — Billing 💳',
    intro: '*Technical architecture* of the billing service.\n\nLast reviewed 2024-05.',
    sections: {
      ...doc.sections,
      architecture: withBlock(
        withBlock(architecture, 'highLevel', {
          kind: 'diagram',
          notes: 'See also the C4 model.',
          diagram: {
            lang: 'mermaid',
            code: 'graph TD\n  A[Web] --> B[API]\n  B --> C[(Postgres)]',
          },
        }),
        'style',
        {
          kind: 'fields',
          notes: '',
          fields: { pattern: 'Modular monolith', rationale: 'One team, one deploy; 日本語もOK' },
          extraFields: [{ id: ids(), label: 'Status', value: 'Accepted' }],
        },
      ),
      components: withBlock(components, 'cards', {
        kind: 'cards',
        cards: [1, 2, 3].map((n) => buildComponentCard(ids, n)),
      }),
      patterns: withBlock(patterns, 'cards', {
        kind: 'cards',
        cards: [
          {
            id: ids(),
            title: 'Repository',
            notes: '',
            fields: {
              whereUsed: 'billing/*',
              implementation: 'Interfaces per aggregate',
              benefits: 'Testable',
              example: '`InvoiceRepo`',
            },
            extraFields: [],
            steps: null,
          },
        ],
      }),
      data: withBlock(withBlock(data, 'flow', null), 'storage', {
        kind: 'table',
        notes: 'Sizes are for 2024.',
        table: {
          extraColumns: [{ id: ids(), label: 'Owner' }],
          rows: [
            {
              id: ids(),
              cells: {
                dataType: 'Invoices',
                storage: 'Postgres',
                rationale: 'ACID | joins',
                retention: '10 years',
              },
            },
            { id: ids(), cells: { dataType: 'Events', storage: 'Kafka' } },
            { id: ids(), cells: {} },
          ],
        },
      }),
      integration: withBlock(
        withBlock(integration, 'apiPrinciples', {
          kind: 'list',
          notes: '',
          items: [
            { id: ids(), text: 'REST, JSON, `snake_case`' },
            { id: ids(), text: 'Versioned under `/v1`' },
          ],
        }),
        'external',
        { kind: 'table', notes: '', table: null },
      ),
      security: null,
      paths: withBlock(paths, 'cards', {
        kind: 'cards',
        cards: [
          {
            id: ids(),
            title: 'Checkout',
            notes: '',
            fields: {},
            extraFields: [],
            steps: [
              { id: ids(), text: 'User submits cart' },
              { id: ids(), text: 'API reserves stock' },
              { id: ids(), text: 'Payment captured' },
            ],
          },
          { id: ids(), title: 'Refund', notes: 'TBD', fields: {}, extraFields: [], steps: [] },
          { id: ids(), title: 'Legacy', notes: '', fields: {}, extraFields: [], steps: null },
        ],
      }),
      decisions: {
        ...decisions,
        notes: 'Reference: See `docs/adr/` for detailed Architectural Decision Records',
        extraBlocks: [
          { id: ids(), heading: 'Rejected options', body: '- GraphQL\n- gRPC' },
          { id: ids(), heading: 'Open questions', body: '' },
        ],
      },
    },
    extraSections: [
      {
        id: ids(),
        heading: 'Glossary',
        depth: 2,
        body: '- **SKU**: stock keeping unit',
        after: 'decisions',
      },
      { id: ids(), heading: 'Preface', depth: 2, body: 'Read me first.', after: null },
    ],
    footer: '---\n*Updated by the platform team.*',
  };
  return { ...filled, ...overrides };
}

/** The filled document with `components` component cards, for benchmarks. */
export function buildLargeDocument(
  components: number,
  ids: IdFactory = sequentialIds('l'),
): SyspatDocument {
  const doc = buildFilledDocument({}, ids);
  const known = section(doc, 'components');
  const cards = Array.from({ length: components }, (_, i) => buildComponentCard(ids, i + 1));
  return {
    ...doc,
    sections: { ...doc.sections, components: withBlock(known, 'cards', { kind: 'cards', cards }) },
  };
}
