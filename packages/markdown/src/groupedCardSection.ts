import type { Heading, RootContent } from 'mdast';
import type { SectionSpec, TemplateSpec } from '@syspat/template';
import { findCardList } from '@syspat/template';
import { stripHeadingEmphasis, withoutCardWord } from './headingText.ts';
import type { SourceText } from './sourceText.ts';

const isSubsection = (node: RootContent): node is Heading =>
  node.type === 'heading' && node.depth === 3;

/**
 * The section of cards an unknown `##` heading holds when it names a group of them ("RAG
 * Retrieval Patterns") and every `###` under it is one of them ("Hybrid Search Pattern"). Both
 * conditions, so a section that only mentions patterns keeps a section of its own.
 */
export function groupedCardSection(
  template: TemplateSpec,
  heading: string,
  body: readonly RootContent[],
  source: SourceText,
): SectionSpec | undefined {
  const list = findCardList(template, heading);
  if (!list || !list.section.blocks.every((b) => b.kind === 'cards')) return undefined;
  const subsections = body.filter(isSubsection);
  const allCards = subsections.every(
    (h) =>
      withoutCardWord(stripHeadingEmphasis(source.headingText(h)), list.spec.cardLabel) !==
      undefined,
  );
  return subsections.length > 0 && allCards ? list.section : undefined;
}
