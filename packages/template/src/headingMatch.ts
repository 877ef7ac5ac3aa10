import type { BlockSpec, FieldSpec, SectionSpec, TemplateSpec } from './types.ts';

/**
 * Reduces a heading or label to the form we compare: case, numbering ("2.", "IV)"), emoji,
 * emphasis and punctuation do not matter; "&" and "and" are the same word.
 */
export function normalizeHeading(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\p{Extended_Pictographic}|\uFE0F|\u200D/gu, ' ')
    .replace(/[*_`~]/g, '')
    .replace(/^\s*(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.):]\s+/u, '')
    .replace(/^\s*\d+\s+/u, '')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Named {
  readonly heading: string;
  readonly synonyms?: readonly string[] | undefined;
}

function namesOf(item: Named): string[] {
  return [item.heading, ...(item.synonyms ?? [])].map(normalizeHeading);
}

/**
 * Finds the item a heading means: an exact match of a name or synonym first, then the longest
 * name of two or more words that starts the heading ("Key Architectural Decisions & Rationales").
 */
function matchNamed<T extends Named>(items: readonly T[], heading: string): T | undefined {
  const wanted = normalizeHeading(heading);
  if (wanted === '') return undefined;
  for (const item of items) {
    if (namesOf(item).includes(wanted)) return item;
  }
  let best: { item: T; length: number } | undefined;
  for (const item of items) {
    for (const name of namesOf(item)) {
      if (!name.includes(' ')) continue;
      if (wanted.startsWith(`${name} `) && (!best || name.length > best.length)) {
        best = { item, length: name.length };
      }
    }
  }
  return best?.item;
}

export function findSection(template: TemplateSpec, heading: string): SectionSpec | undefined {
  return matchNamed(template.sections, heading);
}

/** The fixed (non-card) block of a section a `###` heading names. */
export function findBlock(section: SectionSpec, heading: string): BlockSpec | undefined {
  const fixed = section.blocks.filter(
    (b): b is Exclude<BlockSpec, { kind: 'cards' }> => b.kind !== 'cards',
  );
  return matchNamed(fixed, heading);
}

/** The field a `**Label**` names, exact (normalised) names only. */
export function findField(fields: readonly FieldSpec[], label: string): FieldSpec | undefined {
  const wanted = normalizeHeading(label);
  return fields.find((f) =>
    [f.label, ...(f.synonyms ?? [])].map(normalizeHeading).includes(wanted),
  );
}

export function cardsBlockOf(
  section: SectionSpec,
): Extract<BlockSpec, { kind: 'cards' }> | undefined {
  return section.blocks.find((b): b is Extract<BlockSpec, { kind: 'cards' }> => b.kind === 'cards');
}
