import * as Y from 'yjs';

/**
 * Where a System Patterns document lives in a Y.Doc. One top-level `Y.Map` named `syspat`; below
 * it the model's own shape and key names, so a model path (`sections.components.blocks.cards
 * .cards[id].fields.purpose`) is also the Yjs path, with list entries found by `id`:
 *
 *   meta: Y.Map
 *     schemaVersion  the layout version, LAYOUT_VERSION (layoutVersion.ts); absent before it existed
 *   syspat: Y.Map
 *     version        1 (number; the layout marker of documents from before meta.schemaVersion)
 *     frontMatter    Y.Text            absent = null
 *     title          Y.Text            absent = null
 *     intro          Y.Text
 *     footer         Y.Text            absent = null
 *     sections       Y.Map<sectionId, Section>     absent key = section is null
 *     extraSections  List<{ heading: Y.Text, depth: number, body: Y.Text, after: string | null }>
 *
 *   Section: Y.Map { notes: Y.Text, blocks: Y.Map<blockId, Block> (absent key = null),
 *                    extraBlocks: List<{ heading: Y.Text, body: Y.Text }> }
 *   Block: Y.Map { kind: string, notes: Y.Text, and by kind:
 *     diagram  diagram: Y.Map { lang: Y.Text, code: Y.Text }        absent = null
 *     fields   fields: Y.Map<fieldId, Y.Text> (absent key = no such field), extraFields: List<ExtraField>
 *     list     items: List<{ text: Y.Text }>                          absent = null
 *     table    table: Y.Map { extraColumns: List<{ label: Y.Text }>,
 *                             rows: List<{ cells: Y.Map<columnId, Y.Text> }> }   absent = null
 *     cards    cards: List<Card> (a cards block has no notes) }
 *   Card: { title: Y.Text, notes: Y.Text, fields: Y.Map<fieldId, Y.Text>, extraFields: List<ExtraField>,
 *           steps: List<{ text: Y.Text }> (absent = null) }
 *   ExtraField: { label: Y.Text, value: Y.Text }
 *
 * A `List<T>` is a `Y.Array` of `Y.Map`s, each with `id` (string), `order` (a fractional order
 * key, see orderKey.ts) and the keys of T. The display order is by `order`, then by position in
 * the Y.Array; the Y.Array position alone is not the order. That is what lets a move rewrite one
 * key instead of deleting and copying the entry: two people moving one card at once cannot
 * duplicate it, and someone typing in a card while another moves it keeps their typing.
 *
 * Every string a person types is a Y.Text, never a plain string, so concurrent typing in one field
 * merges character by character. Only structure is plain: ids, order keys, `kind`, `version`,
 * an extra section's `depth` and `after`.
 */

export const ROOT_NAME = 'syspat';

export const DOCUMENT_VERSION = 1;

export type YMap = Y.Map<unknown>;
export type YArray = Y.Array<unknown>;

export function getRoot(ydoc: Y.Doc): YMap {
  return ydoc.getMap<unknown>(ROOT_NAME);
}

export function asMap(value: unknown): YMap | null {
  return value instanceof Y.Map ? (value as YMap) : null;
}

export function asArray(value: unknown): YArray | null {
  return value instanceof Y.Array ? (value as YArray) : null;
}

export function asText(value: unknown): Y.Text | null {
  return value instanceof Y.Text ? value : null;
}

/** The text at `key`: a Y.Text's content, a stray plain string as is, anything else `''`. */
export function textOf(map: YMap, key: string): string {
  const value = map.get(key);
  if (value instanceof Y.Text) return value.toJSON();
  return typeof value === 'string' ? value : '';
}

/** Like `textOf`, but `null` when the key is absent (or holds something that is not text). */
export function optionalTextOf(map: YMap, key: string): string | null {
  const value = map.get(key);
  if (value instanceof Y.Text) return value.toJSON();
  return typeof value === 'string' ? value : null;
}

export function newText(value: string): Y.Text {
  return new Y.Text(value);
}
