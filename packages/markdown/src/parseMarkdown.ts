import type { RootContent } from 'mdast';
import type { TemplateSpec } from '@syspat/template';
import {
  cardsBlockOf,
  findCardList,
  findSection,
  isStepHeading,
  systemPatternsTemplate,
} from '@syspat/template';
import type { Block, ExtraSection, IdFactory, KnownSection, SyspatDocument } from '@syspat/model';
import { MODEL_VERSION, newId } from '@syspat/model';
import { groupedCardSection } from './groupedCardSection.ts';
import { stripHeadingEmphasis } from './headingText.ts';
import { closeOpenFence, normalizeLineEndings } from './normalizeInput.ts';
import { parseTree } from './parseTree.ts';
import { readSection, type Routed, type SectionContext } from './readSection.ts';
import { readSteps } from './readSteps.ts';
import { SourceText } from './sourceText.ts';
import { isHeading, splitAtHeadings } from './splitAtHeadings.ts';

export interface ParseOptions {
  readonly template?: TemplateSpec;
  /** Id factory for cards, rows, items and extras (random by default). */
  readonly ids?: IdFactory;
}

/** A known section with nothing in it, the way a bare `## Heading` reads. */
export function emptySection(template: TemplateSpec, sectionId: string): KnownSection {
  const spec = template.sections.find((s) => s.id === sectionId);
  const blocks: Record<string, Block | null> = {};
  for (const block of spec?.blocks ?? [])
    blocks[block.id] = block.kind === 'cards' ? { kind: 'cards', cards: [] } : null;
  return { notes: '', blocks, extraBlocks: [] };
}

/**
 * Puts what one section's recognizers found for another where it belongs: cards join that
 * section's cards; a block fills that section's block when the document has none, else it
 * stays where it was written. A section that had no heading of its own is added.
 */
function placeRouted(
  routed: readonly Routed[],
  sections: Record<string, KnownSection | null>,
  template: TemplateSpec,
): Set<object> {
  const placed = new Set<object>();
  for (const item of routed) {
    const section = sections[item.sectionId] ?? emptySection(template, item.sectionId);
    const blocks = { ...section.blocks };
    if (item.kind === 'cards') {
      const spec = template.sections.find((s) => s.id === item.sectionId);
      const cardsId = spec && cardsBlockOf(spec)?.id;
      const current = cardsId ? blocks[cardsId] : undefined;
      if (!cardsId || current?.kind !== 'cards') continue;
      blocks[cardsId] = { kind: 'cards', cards: [...current.cards, ...item.cards] };
    } else {
      if (blocks[item.blockId] !== null && blocks[item.blockId] !== undefined) continue;
      blocks[item.blockId] = item.block;
      placed.add(item.fallback);
    }
    sections[item.sectionId] = { ...section, blocks };
  }
  return placed;
}

/**
 * Markdown to the document model. Never throws on any string and never drops a word: what the
 * template has no field for is kept as notes, extra blocks or extra sections, as written.
 */
export function parseMarkdown(input: string, options: ParseOptions = {}): SyspatDocument {
  const template = options.template ?? systemPatternsTemplate;
  const normalized = normalizeLineEndings(input);
  const { text, tree } = closeOpenFence(normalized, parseTree(normalized));
  const source = new SourceText(text);
  const context: SectionContext = { source, ids: options.ids ?? newId, template };

  let nodes = [...tree.children];
  let frontMatter: string | null = null;
  const first = nodes[0];
  if (first && (first.type === 'yaml' || (first.type as string) === 'toml')) {
    frontMatter = source.blocks([first]);
    nodes = nodes.slice(1);
  }
  let title: string | null = null;
  const titleNode = nodes[0];
  if (isHeading(titleNode, 1)) {
    title = source.headingText(titleNode);
    nodes = nodes.slice(1);
  }
  const { lead, parts } = splitAtHeadings(nodes, 2);
  // Classify sections by heading first: which known section each one is, and where each
  // unknown one goes (after the known section it followed, or its known twin).
  const taken = new Set<string>();
  let previousKnown: string | null = null;
  const classified = parts.map((part) => {
    const written = source.headingText(part.heading);
    // A heading of several lines (setext) is prose that happens to be underlined, not a section name.
    const multiline = written.includes('\n');
    const headingText = multiline ? written : stripHeadingEmphasis(written);
    const spec = multiline
      ? undefined
      : (findSection(template, headingText) ??
        groupedCardSection(template, headingText, part.body, source));
    if (spec && !taken.has(spec.id)) {
      taken.add(spec.id);
      previousKnown = spec.id;
      return { ...part, headingText, spec, after: null, merge: false };
    }
    // A second heading of a section of cards ("## Architecture Patterns", then "## Design
    // Patterns") adds its cards to the first; anything else keeps a section of its own.
    const merge = spec !== undefined && spec.blocks.every((b) => b.kind === 'cards');
    return {
      ...part,
      headingText,
      spec: merge ? spec : undefined,
      after: spec ? spec.id : previousKnown,
      merge,
    };
  });

  // The footer is a closing rule and what follows it, at the end of whatever prints last.
  // Looking where the printer will put things (not where the input had them) keeps fmt
  // idempotent when sections are put in template order.
  const lastKnown = [...template.sections].reverse().find((s) => taken.has(s.id))?.id ?? null;
  const lastPrinted =
    classified.findLast((c) => c.spec === undefined && c.after === lastKnown) ??
    classified.find((c) => c.spec?.id === lastKnown);
  const tailOwner = lastPrinted ? lastPrinted.body : lead;
  let footer: string | null = null;
  const ruleIndex = tailOwner.findLastIndex((n) => n.type === 'thematicBreak');
  if (ruleIndex !== -1 && !tailOwner.slice(ruleIndex).some((n) => n.type === 'heading')) {
    footer = source.blocks(tailOwner.slice(ruleIndex));
    tailOwner.splice(ruleIndex);
  }

  const sections: Record<string, KnownSection | null> = Object.fromEntries(
    template.sections.map((s) => [s.id, null]),
  );
  const extraSections: ExtraSection[] = [];
  const routed: Routed[] = [];
  for (const { heading, headingText, body, spec, after, merge } of classified) {
    if (spec) {
      const reading = readSection(spec, headingText, body, context);
      const first = sections[spec.id];
      sections[spec.id] =
        merge && first
          ? mergeSection(first, reading.section, headingText, context)
          : reading.section;
      routed.push(...reading.routed);
      continue;
    }
    const steps = heading.depth === 2 ? readExtraSteps(headingText, body, context) : undefined;
    if (steps) {
      routed.push(steps);
      continue;
    }
    extraSections.push({
      id: context.ids(),
      heading: headingText,
      depth: heading.depth,
      body: source.blocks(body),
      after,
    });
  }
  const placed = placeRouted(routed, sections, template);
  for (const [id, section] of Object.entries(sections)) {
    if (section && section.extraBlocks.some((b) => placed.has(b)))
      sections[id] = { ...section, extraBlocks: section.extraBlocks.filter((b) => !placed.has(b)) };
  }

  return {
    version: MODEL_VERSION,
    frontMatter,
    title,
    intro: source.blocks(lead),
    sections,
    extraSections,
    footer,
  };
}

/**
 * A second section of cards joined to the first: its cards after the first's, its notes an
 * extra block under its own heading (a heading that names a list of cards stays a block).
 */
function mergeSection(
  first: KnownSection,
  second: KnownSection,
  heading: string,
  context: SectionContext,
): KnownSection {
  const blocks: Record<string, Block | null> = { ...first.blocks };
  for (const [id, block] of Object.entries(second.blocks)) {
    const mine = blocks[id];
    if (block?.kind === 'cards' && mine?.kind === 'cards')
      blocks[id] = { kind: 'cards', cards: [...mine.cards, ...block.cards] };
  }
  const extraBlocks = [...first.extraBlocks];
  let notes = first.notes;
  // Under a heading that names a list of cards the notes read back as a block of their own;
  // under any other heading they would read back as a card, so they join the first's notes.
  if (second.notes !== '' && findCardList(context.template, heading))
    extraBlocks.push({ id: context.ids(), heading, body: second.notes });
  else if (second.notes !== '') notes = notes === '' ? second.notes : `${notes}\n\n${second.notes}`;
  return { ...first, notes, blocks, extraBlocks: [...extraBlocks, ...second.extraBlocks] };
}

/**
 * A section of its own named like a flow ("## Deployment Workflow") that is a numbered list
 * and nothing else: a Critical Implementation Path.
 */
function readExtraSteps(
  heading: string,
  body: readonly RootContent[],
  context: SectionContext,
): Routed | undefined {
  const section = context.template.sections.find((s) => cardsBlockOf(s)?.body === 'steps');
  const spec = section && cardsBlockOf(section);
  if (!section || !spec || !isStepHeading(spec, heading)) return undefined;
  if (body.some((n) => n.type === 'heading')) return undefined;
  const found = readSteps(heading.replace(/^\d+(?:\.\d+)*[.)]?\s+/u, ''), body, spec, context);
  if (!found || found.rest.length > 0) return undefined;
  return { kind: 'cards', sectionId: section.id, cards: found.cards };
}
