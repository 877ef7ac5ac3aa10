import type { Block, Card, SyspatDocument } from '@syspat/model';

/**
 * Test helpers (not exported from the package): change a copy of a model in place, the way a
 * form or an import would produce the next model.
 */

export type Mutable<T> = T extends string | number | boolean | null | undefined
  ? T
  : { -readonly [K in keyof T]: Mutable<T[K]> };

export type Draft = Mutable<SyspatDocument>;

export function editModel(model: SyspatDocument, change: (draft: Draft) => void): SyspatDocument {
  const draft = structuredClone(model) as Draft;
  change(draft);
  return draft;
}

function blockOf<K extends Block['kind']>(
  draft: Draft,
  sectionId: string,
  blockId: string,
  kind: K,
): Mutable<Extract<Block, { kind: K }>> {
  const block = draft.sections[sectionId]?.blocks[blockId];
  if (block?.kind !== kind) throw new Error(`no ${kind} block ${sectionId}.${blockId}`);
  return block as Mutable<Extract<Block, { kind: K }>>;
}

export function cardsOf(draft: Draft, sectionId: string): Mutable<Card>[] {
  return blockOf(draft, sectionId, 'cards', 'cards').cards;
}

export function tableOf(draft: Draft, sectionId: string, blockId: string) {
  const table = blockOf(draft, sectionId, blockId, 'table').table;
  if (table === null) throw new Error(`table ${sectionId}.${blockId} is null`);
  return table;
}

export function listOf(draft: Draft, sectionId: string, blockId: string) {
  return blockOf(draft, sectionId, blockId, 'list');
}

export function fieldsOf(draft: Draft, sectionId: string, blockId: string) {
  return blockOf(draft, sectionId, blockId, 'fields');
}

export function diagramOf(draft: Draft, sectionId: string, blockId: string) {
  return blockOf(draft, sectionId, blockId, 'diagram');
}

/** The same document with every entry id replaced, as a fresh parse of its markdown has. */
export function withFreshIds(model: SyspatDocument, prefix = 'fresh'): SyspatDocument {
  let next = 0;
  return JSON.parse(JSON.stringify(model), (key, value: unknown) =>
    key === 'id' && typeof value === 'string' ? `${prefix}${++next}` : value,
  ) as SyspatDocument;
}

/** The document with every entry id blanked, to compare "up to ids". */
export function withoutIds(model: SyspatDocument): unknown {
  return JSON.parse(JSON.stringify(model), (key, value: unknown) =>
    key === 'id' ? '' : value,
  ) as unknown;
}
