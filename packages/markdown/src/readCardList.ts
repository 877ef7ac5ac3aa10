import type { List, ListItem, RootContent } from 'mdast';
import type { CardsBlockSpec } from '@syspat/template';
import type { Card, Item } from '@syspat/model';
import { dedent, toFieldValue } from './fieldValue.ts';
import { placeUnits, readUnits, type CardBodyContext } from './readCardBody.ts';
import { readLeadingLabel, readPlainItem } from './readItems.ts';
import { stripHeadingEmphasis } from './headingText.ts';

/** How a list item names its card: the title, and the text after the name (may be empty). */
interface ItemHead {
  readonly title: string;
  readonly text: string;
}

const words = (text: string) => text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;

/** `Name: text` or `Name — text` without emphasis: a short name before the first separator. */
function plainHead(line: string): { name: string; rest: string } | undefined {
  let inCode = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (c === '`') inCode = !inCode;
    if (inCode) continue;
    const sep = /^(?::|\s[—–-])\s+/.exec(line.slice(i));
    if (!sep) continue;
    const name = line.slice(0, i).trim();
    // A name is a few words, not a sentence and not a link or a URL scheme.
    const bare = name.replace(/\([^()]*\)/g, '');
    if (name === '' || words(bare) > 8 || /\]\(|<|https?$/.test(name)) return undefined;
    return { name, rest: line.slice(i + sep[0].length) };
  }
  return undefined;
}

/** The name and text of a card-shaped item, or `undefined` for an item of another shape. */
function readHead(item: ListItem, spec: CardsBlockSpec, context: CardBodyContext) {
  const { source } = context;
  if (item.checked !== null && item.checked !== undefined) return undefined;
  const paragraph = item.children[0];
  if (paragraph?.type !== 'paragraph') return undefined;
  const column = paragraph.position ? paragraph.position.start.column - 1 : 0;
  const raw = source.text.slice(source.startOf(paragraph), source.endOf(paragraph));
  const toText = (from: number): string | undefined => {
    const [first = '', ...rest] = source.text.slice(from, source.endOf(paragraph)).split('\n');
    const more = dedent(rest.join('\n'), column);
    return more === undefined ? undefined : rest.length > 0 ? `${first}\n${more}` : first;
  };
  const labelled = readLeadingLabel(paragraph, source, source.endOf(paragraph));
  let head: ItemHead | undefined;
  if (labelled) {
    const text = toText(labelled.rest)?.trim();
    if (text === undefined) return undefined;
    // `**Decision 1:** Use X` names the card by its text, not by its number.
    const numbered = new RegExp(`^${spec.cardLabel}\\s*\\d+$`, 'iu').test(labelled.label);
    if (numbered && (text === '' || text.includes('\n'))) return undefined;
    head = numbered ? { title: text, text: '' } : { title: labelled.label, text };
  } else if (paragraph.children[0]?.type === 'strong' && raw.startsWith('**')) {
    // `**Name** does this`: the bold run names the card and the rest of the text describes it.
    const strong = paragraph.children[0];
    const text = toText(source.endOf(strong))?.trim();
    const name = source.text.slice(source.startOf(strong) + 2, source.endOf(strong) - 2).trim();
    if (text === undefined || name === '' || name.includes('\n')) return undefined;
    head = { title: name, text };
  } else {
    const [line = '', ...rest] = raw.split('\n');
    const plain = plainHead(line);
    if (plain) {
      const more = rest.length > 0 ? dedent(rest.join('\n'), column) : '';
      if (more === undefined) return undefined;
      head = { title: plain.name, text: more === '' ? plain.rest : `${plain.rest}\n${more}` };
    } else if (rest.length === 0 && words(line) <= 12) {
      head = { title: line.trim(), text: '' };
    }
  }
  if (!head) return undefined;
  return { ...head, title: stripHeadingEmphasis(head.title), column };
}

function stepsCard(
  item: ListItem,
  head: ItemHead,
  context: CardBodyContext,
): Omit<Card, 'id' | 'title'> | undefined {
  const nested = item.children.slice(1);
  const steps: Item[] = [];
  for (const node of nested) {
    if (node.type !== 'list') return undefined;
    for (const sub of node.children) {
      const text = readPlainItem(sub, context.source);
      if (text === undefined) return undefined;
      steps.push({ id: context.ids(), text });
    }
  }
  if (steps.length === 0 && head.text !== '') steps.push({ id: context.ids(), text: head.text });
  if (steps.length === 0) return undefined;
  const notes = steps.length > 0 && nested.length > 0 ? head.text : '';
  return { notes, fields: {}, extraFields: [], steps };
}

/** One list item as a card: the name is its title, the text its primary field. */
function readItemCard(
  item: ListItem,
  spec: CardsBlockSpec,
  context: CardBodyContext,
  lone: boolean,
): Card | undefined {
  const head = readHead(item, spec, context);
  if (!head || head.title.includes('\n')) return undefined;
  const nested = item.children.slice(1);
  // A bare name is a card only when something under it describes it.
  if (head.text === '' && nested.length === 0 && lone) return undefined;
  if (spec.body === 'steps') {
    const body = stepsCard(item, head, context);
    return body && { id: context.ids(), title: head.title, ...body };
  }
  const units = readUnits(nested, context.source, head.column);
  if (!units) return undefined;
  const primary = spec.primaryField;
  const text = head.text === '' ? undefined : toFieldValue([head.text], true);
  const lead = primary && text !== undefined ? { field: primary, value: text } : undefined;
  const placed = placeUnits(units, spec, context, lead);
  // Card notes print before the card's fields; a list there would run into them.
  if (placed.notes !== '') return undefined;
  return {
    id: context.ids(),
    title: head.title,
    notes: '',
    fields: placed.fields,
    extraFields: placed.extraFields,
    steps: null,
  };
}

/**
 * A list whose every item names a thing (`**Name**: text`, `Name — text`, or a short name with
 * sub-items) as cards of `spec`; `undefined` when any item has another shape.
 */
export function readCardList(
  list: List,
  spec: CardsBlockSpec,
  context: CardBodyContext,
): Card[] | undefined {
  const cards: Card[] = [];
  const lone = list.children.length < 2;
  for (const item of list.children) {
    const card = readItemCard(item, spec, context, lone);
    if (!card) return undefined;
    cards.push(card);
  }
  return cards.length > 0 ? cards : undefined;
}

/** Takes the card lists out of a run of nodes: the cards in order, and the nodes left. */
export function takeCardLists(
  nodes: readonly RootContent[],
  spec: CardsBlockSpec,
  context: CardBodyContext,
): { cards: Card[]; rest: RootContent[][] } {
  const cards: Card[] = [];
  const rest: RootContent[][] = [[]];
  for (const node of nodes) {
    const found = node.type === 'list' ? readCardList(node, spec, context) : undefined;
    if (found) {
      cards.push(...found);
      rest.push([]);
    } else {
      rest[rest.length - 1]?.push(node);
    }
  }
  return { cards, rest: rest.filter((run) => run.length > 0) };
}
