import type { Heading, RootContent } from 'mdast';
import type { SectionSpec, TemplateSpec } from '@syspat/template';
import { cardsBlockOf, findBlock, findSection, systemPatternsTemplate } from '@syspat/template';
import type {
  Block,
  Card,
  ExtraBlock,
  ExtraSection,
  IdFactory,
  KnownSection,
  SyspatDocument,
} from '@syspat/model';
import { newId } from '@syspat/model';
import { closeOpenFence, normalizeLineEndings } from './normalizeInput.ts';
import { readBlock, readCard, type BlockContext } from './parseBlocks.ts';
import { parseTree } from './parseTree.ts';
import { SourceText } from './sourceText.ts';

export interface ParseOptions {
  readonly template?: TemplateSpec;
  /** Id factory for cards, rows, items and extras (random by default). */
  readonly ids?: IdFactory;
}

const isHeading = (node: RootContent | undefined, maxDepth: number): node is Heading =>
  node?.type === 'heading' && node.depth <= maxDepth;

/** Splits nodes at headings of at most `maxDepth`: what comes before the first, then each heading with its body. */
function splitAtHeadings(nodes: readonly RootContent[], maxDepth: number) {
  const lead: RootContent[] = [];
  const parts: { heading: Heading; body: RootContent[] }[] = [];
  for (const node of nodes) {
    if (isHeading(node, maxDepth)) parts.push({ heading: node, body: [] });
    else if (parts.length > 0) parts[parts.length - 1]?.body.push(node);
    else lead.push(node);
  }
  return { lead, parts };
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
  const context: BlockContext = { source, ids: options.ids ?? newId };

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
    const headingText = source.headingText(part.heading);
    // A heading of several lines (setext) is prose that happens to be underlined, not a section name.
    const spec = headingText.includes('\n') ? undefined : findSection(template, headingText);
    if (spec && !taken.has(spec.id)) {
      taken.add(spec.id);
      previousKnown = spec.id;
      return { ...part, headingText, spec, after: null };
    }
    return { ...part, headingText, spec: undefined, after: spec ? spec.id : previousKnown };
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
  for (const { heading, headingText, body, spec, after } of classified) {
    if (spec) {
      sections[spec.id] = readSection(spec, body, context);
    } else {
      extraSections.push({
        id: context.ids(),
        heading: headingText,
        depth: heading.depth,
        body: source.blocks(body),
        after,
      });
    }
  }

  return {
    version: 1,
    frontMatter,
    title,
    intro: source.blocks(lead),
    sections,
    extraSections,
    footer,
  };
}

function readSection(
  spec: SectionSpec,
  body: readonly RootContent[],
  context: BlockContext,
): KnownSection {
  const { lead, parts } = splitAtHeadings(body, 3);
  const blocks: Record<string, Block | null> = Object.fromEntries(
    spec.blocks.map((b) => [b.id, null]),
  );
  const cardsSpec = cardsBlockOf(spec);
  const cards: Card[] = [];
  const extraBlocks: ExtraBlock[] = [];
  for (const { heading, body: blockBody } of parts) {
    const headingText = context.source.headingText(heading);
    const blockSpec = findBlock(spec, headingText);
    if (blockSpec && blockSpec.kind !== 'cards' && blocks[blockSpec.id] === null) {
      blocks[blockSpec.id] = readBlock(blockSpec, blockBody, context);
    } else if (cardsSpec) {
      cards.push(readCard(headingText, blockBody, cardsSpec, cards.length, context));
    } else {
      extraBlocks.push({
        id: context.ids(),
        heading: headingText,
        body: context.source.blocks(blockBody),
      });
    }
  }
  if (cardsSpec) blocks[cardsSpec.id] = { kind: 'cards', cards };
  return { notes: context.source.blocks(lead), blocks, extraBlocks };
}
