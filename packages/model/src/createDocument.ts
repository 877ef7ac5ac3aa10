import type { BlockSpec, CardsBlockSpec, SectionSpec, TemplateSpec } from '@syspat/template';
import { systemPatternsTemplate } from '@syspat/template';
import { MODEL_VERSION } from './modelVersion.ts';
import { newId, type IdFactory } from './newId.ts';
import type { Block, Card, KnownSection, SyspatDocument, TableRow } from './types.ts';

/** A card of the given list with every field present and empty, as the UI adds it. */
export function createCard(
  spec: CardsBlockSpec,
  ids: IdFactory = newId,
  fieldIds?: readonly string[],
): Card {
  const wanted = fieldIds ?? spec.fields.map((f) => f.id);
  return {
    id: ids(),
    title: '',
    notes: '',
    fields: Object.fromEntries(wanted.map((id) => [id, ''])),
    extraFields: [],
    steps: spec.body === 'steps' ? [] : null,
  };
}

export function createRow(ids: IdFactory = newId): TableRow {
  return { id: ids(), cells: {} };
}

/** A block as the unfilled template has it. */
export function createBlock(spec: BlockSpec, ids: IdFactory = newId): Block {
  switch (spec.kind) {
    case 'diagram':
      return { kind: 'diagram', notes: '', diagram: { lang: '', code: '' } };
    case 'fields':
      return {
        kind: 'fields',
        notes: '',
        fields: Object.fromEntries(spec.fields.map((f) => [f.id, ''])),
        extraFields: [],
      };
    case 'list':
      return { kind: 'list', notes: '', items: [] };
    case 'table':
      return {
        kind: 'table',
        notes: '',
        table: {
          extraColumns: [],
          rows: Array.from({ length: spec.initialRows }, () => createRow(ids)),
        },
      };
    case 'cards':
      return {
        kind: 'cards',
        cards: spec.instances.map((instance) => createCard(spec, ids, instance.fields)),
      };
  }
}

/** A section as the unfilled template has it. */
export function createSection(spec: SectionSpec, ids: IdFactory = newId): KnownSection {
  return {
    notes: spec.intro ?? '',
    blocks: Object.fromEntries(spec.blocks.map((b) => [b.id, createBlock(b, ids)])),
    extraBlocks: [],
  };
}

/** The unfilled template: every section, block and card of it, every value empty. */
export function createDocument(
  template: TemplateSpec = systemPatternsTemplate,
  ids: IdFactory = newId,
): SyspatDocument {
  return {
    version: MODEL_VERSION,
    frontMatter: null,
    title: template.title,
    intro: template.intro,
    sections: Object.fromEntries(template.sections.map((s) => [s.id, createSection(s, ids)])),
    extraSections: [],
    footer: template.footer,
  };
}

/** A document with no sections at all, the starting point of an import. */
export function createEmptyDocument(
  template: TemplateSpec = systemPatternsTemplate,
): SyspatDocument {
  return {
    version: MODEL_VERSION,
    frontMatter: null,
    title: null,
    intro: '',
    sections: Object.fromEntries(template.sections.map((s) => [s.id, null])),
    extraSections: [],
    footer: null,
  };
}
