import type { RootContent } from 'mdast';
import type { BlockSpec, CardsBlockSpec, SectionSpec, TemplateSpec } from '@syspat/template';
import {
  cardsBlockOf,
  findBlock,
  findCardList,
  findNamedBlock,
  isRelationHeading,
  isStepHeading,
} from '@syspat/template';
import type { Block, Card, ExtraBlock, KnownSection } from '@syspat/model';
import { stripHeadingEmphasis, withoutCardWord } from './headingText.ts';
import { readCard, type BlockContext } from './parseBlocks.ts';
import { readBlockLenient, recognizeBlock } from './recognizeBlock.ts';
import { takeCardLists } from './readCardList.ts';
import { readSteps } from './readSteps.ts';
import { splitAtHeadings } from './splitAtHeadings.ts';

type FixedBlockSpec = Exclude<BlockSpec, CardsBlockSpec>;

export interface SectionContext extends BlockContext {
  readonly template: TemplateSpec;
}

/** Cards another section's heading held: they join the cards of section `sectionId`. */
export interface RoutedCards {
  readonly kind: 'cards';
  readonly sectionId: string;
  readonly cards: readonly Card[];
}

/**
 * A `###` block of another section's kind ("### Data Flow" under "Component Relationships"): it
 * takes that block when the document has none, else `fallback` stays where it was written.
 */
export interface RoutedBlock {
  readonly kind: 'block';
  readonly sectionId: string;
  readonly blockId: string;
  readonly block: Block;
  readonly fallback: ExtraBlock;
}

export type Routed = RoutedCards | RoutedBlock;

export interface SectionReading {
  readonly section: KnownSection;
  readonly routed: readonly Routed[];
}

const hasValue = (block: Block): boolean =>
  (block.kind === 'diagram' && block.diagram !== null) ||
  (block.kind === 'table' && block.table !== null) ||
  (block.kind === 'fields' &&
    (Object.keys(block.fields).length > 0 || block.extraFields.length > 0));

/** `### Component 2: Auth` as the template prints cards: one card, never a list of them. */
function isCardHeading(template: TemplateSpec, heading: string): boolean {
  return template.sections.some((s) => {
    const cards = cardsBlockOf(s);
    return cards && new RegExp(`^${cards.cardLabel}\\s*\\d+\\s*[:.\\-–—]`, 'iu').test(heading);
  });
}

function stepsSpec(template: TemplateSpec) {
  for (const section of template.sections) {
    const cards = cardsBlockOf(section);
    if (cards?.body === 'steps') return { section, cards };
  }
  return undefined;
}

/** The fixed block of another section a heading names exactly ("Data Flow", "Storage"). */
function otherSectionBlock(template: TemplateSpec, own: SectionSpec, heading: string) {
  for (const section of template.sections) {
    if (section.id === own.id) continue;
    const block = findNamedBlock(template, section, heading);
    if (block) return { section, block };
  }
  return undefined;
}

const joinRuns = (runs: readonly RootContent[][], context: BlockContext): string =>
  runs
    .filter((run) => run.length > 0)
    .map((run) => context.source.blocks(run))
    .join('\n\n');

/**
 * Reads a known section: its `###` blocks and cards, and what the recognizers find in other
 * shapes (card lists, diagrams, tables, steps). `heading` is the section's heading as written;
 * when it names one block ("## Data Flow"), that block takes what is under the heading.
 */
export function readSection(
  spec: SectionSpec,
  heading: string,
  body: readonly RootContent[],
  context: SectionContext,
): SectionReading {
  const { template, source } = context;
  const { lead, parts } = splitAtHeadings(body, 3);
  const blocks: Record<string, Block | null> = Object.fromEntries(
    spec.blocks.map((b) => [b.id, null]),
  );
  const cardsSpec = cardsBlockOf(spec);
  const focus = findNamedBlock(template, spec, heading);
  const steps = stepsSpec(template);
  const cards: Card[] = [];
  const extraBlocks: ExtraBlock[] = [];
  const routed: Routed[] = [];
  const addCards = (sectionId: string, found: readonly Card[]) => {
    if (found.length === 0) return;
    if (sectionId === spec.id) cards.push(...found);
    else routed.push({ kind: 'cards', sectionId, cards: found });
  };
  const keep = (headingText: string, runs: RootContent[][]) => {
    const extra = { id: context.ids(), heading: headingText, body: joinRuns(runs, context) };
    extraBlocks.push(extra);
    return extra;
  };

  /** Offers the block to the other section; false when the body holds none of it. */
  const route = (
    other: { section: SectionSpec; block: FixedBlockSpec },
    headingText: string,
    partBody: RootContent[],
  ): boolean => {
    const block = readBlockLenient(other.block, partBody, context);
    if (!hasValue(block)) return false;
    const fallback = keep(headingText, [partBody]);
    routed.push({
      kind: 'block',
      sectionId: other.section.id,
      blockId: other.block.id,
      block,
      fallback,
    });
    return true;
  };

  for (const part of parts) {
    const headingText = stripHeadingEmphasis(source.headingText(part.heading));
    const blockSpec = findBlock(spec, headingText);
    if (blockSpec && blockSpec.kind !== 'cards' && blocks[blockSpec.id] === null) {
      blocks[blockSpec.id] = readBlockLenient(blockSpec, part.body, context);
      continue;
    }
    const list = isCardHeading(template, headingText)
      ? undefined
      : findCardList(template, headingText);
    if (list) {
      // A heading that names a list of cards is never one card itself: without a list under
      // it, it stays a block of its own.
      const { cards: found, rest } = takeCardLists(part.body, list.spec, context);
      addCards(list.section.id, found);
      if (rest.length > 0 || found.length === 0) keep(headingText, rest);
      continue;
    }
    // "### Data Flow Pattern" under the patterns: a diagram of another section, named with
    // this section's card word, is that diagram, not a card that only holds a fence.
    const named = cardsSpec && withoutCardWord(headingText, cardsSpec.cardLabel);
    const diagram = named ? otherSectionBlock(template, spec, named) : undefined;
    if (diagram?.block.kind === 'diagram' && route(diagram, headingText, part.body)) continue;
    if (cardsSpec) {
      cards.push(readCard(headingText, part.body, cardsSpec, cards.length, context));
      continue;
    }
    if (steps && isStepHeading(steps.cards, headingText)) {
      const found = readSteps(headingText, part.body, steps.cards, context);
      if (found) {
        addCards(steps.section.id, found.cards);
        if (found.rest.length > 0) keep(headingText, found.rest);
        continue;
      }
    }
    const other = otherSectionBlock(template, spec, headingText);
    if (other && route(other, headingText, part.body)) continue;
    const cardsOf = focus?.kind === 'diagram' ? focus.subsectionCards : undefined;
    const target = cardsOf ? template.sections.find((s) => s.id === cardsOf) : undefined;
    const targetCards = target && cardsBlockOf(target);
    if (target && targetCards && !isRelationHeading(template, headingText)) {
      addCards(target.id, [readCard(headingText, part.body, targetCards, 0, context)]);
      continue;
    }
    keep(headingText, [part.body]);
  }

  const leadRuns = readLead(spec, heading, lead, blocks, focus, context, addCards);
  if (cardsSpec) {
    blocks[cardsSpec.id] = { kind: 'cards', cards: [...leadRuns.cards, ...cards] };
  }
  return {
    section: { notes: joinRuns(leadRuns.rest, context), blocks, extraBlocks },
    routed,
  };
}

/**
 * What is written straight under the section heading: the block the heading names, or the
 * section's lead diagram, takes its first fitting node; card lists become cards; a numbered
 * list under a flow heading becomes a path. The rest stays notes, in order.
 */
function readLead(
  spec: SectionSpec,
  heading: string,
  lead: readonly RootContent[],
  blocks: Record<string, Block | null>,
  focus: FixedBlockSpec | undefined,
  context: SectionContext,
  addCards: (sectionId: string, cards: readonly Card[]) => void,
): { cards: Card[]; rest: RootContent[][] } {
  const { template } = context;
  let runs: RootContent[][] = [[...lead]];
  const take = (blockSpec: FixedBlockSpec | undefined) => {
    if (!blockSpec || blocks[blockSpec.id] !== null) return;
    for (const [i, run] of runs.entries()) {
      const found = recognizeBlock(run, blockSpec, context);
      if (!found) continue;
      blocks[blockSpec.id] = found.block;
      runs = [...runs.slice(0, i), found.before, found.after, ...runs.slice(i + 1)];
      return;
    }
  };
  take(focus);
  const leadDiagram = spec.blocks.find((b) => b.id === spec.leadDiagram);
  take(leadDiagram?.kind === 'diagram' ? leadDiagram : undefined);

  const own = cardsBlockOf(spec);
  const listSection = own ? spec : template.sections.find((s) => s.id === spec.leadCards);
  const listSpec = listSection && cardsBlockOf(listSection);
  const cards: Card[] = [];
  if (listSection && listSpec) {
    runs = runs.flatMap((run) => {
      const found = takeCardLists(run, listSpec, context);
      if (listSection.id === spec.id) cards.push(...found.cards);
      else if (found.cards.length > 0) addCards(listSection.id, found.cards);
      return found.rest;
    });
  }
  const steps = stepsSpec(template);
  if (steps && own?.body !== 'steps' && isStepHeading(steps.cards, heading)) {
    const title = stripHeadingEmphasis(heading).replace(/^\d+(?:\.\d+)*[.)]?\s+/u, '');
    runs = runs.flatMap((run) => {
      const found = readSteps(title, run, steps.cards, context, true);
      if (!found) return [run];
      addCards(steps.section.id, found.cards);
      return found.rest;
    });
  }
  return { cards, rest: runs.filter((run) => run.length > 0) };
}
