import type {
  BlockSpec,
  CardsBlockSpec,
  FieldSpec,
  HeadingRules,
  SectionSpec,
  TemplateSpec,
} from './types.ts';

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

const noRules: HeadingRules = { prefixes: [], suffixes: [], notCards: [] };

/** Scripts written without spaces between words: a name there may run into a prefix or suffix. */
const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function namesOf(item: Named): string[] {
  return [item.heading, ...(item.synonyms ?? [])].map(normalizeHeading);
}

/**
 * The heading with one prefix and/or one suffix of the rules taken off ("Key", "Overview",
 * "概要"), each variant once: the exact heading first.
 */
function variantsOf(wanted: string, rules: HeadingRules): string[] {
  const variants = [wanted];
  const strip = (text: string, affix: string, atStart: boolean): string | undefined => {
    const norm = normalizeHeading(affix);
    if (norm === '') return undefined;
    const joined = unspaced.test(norm) ? norm : atStart ? `${norm} ` : ` ${norm}`;
    if (atStart ? !text.startsWith(joined) : !text.endsWith(joined)) return undefined;
    const rest = (atStart ? text.slice(joined.length) : text.slice(0, -joined.length)).trim();
    return rest === '' ? undefined : rest;
  };
  for (const prefix of rules.prefixes) {
    const rest = strip(wanted, prefix, true);
    if (rest) variants.push(rest);
  }
  for (const base of [...variants]) {
    for (const suffix of rules.suffixes) {
      const rest = strip(base, suffix, false);
      if (rest) variants.push(rest);
    }
  }
  return variants;
}

/**
 * Finds the item a heading means: an exact match of a name or synonym first (with the prefixes
 * and suffixes of the rules taken off), then the longest name of two or more words that starts
 * the heading ("Key Architectural Decisions & Rationales"), then, for scripts without spaces,
 * the longest name the heading starts or ends with ("システムアーキテクチャ概要").
 */
function matchNamed<T extends Named>(
  items: readonly T[],
  heading: string,
  rules: HeadingRules = noRules,
): T | undefined {
  const wanted = normalizeHeading(heading);
  if (wanted === '') return undefined;
  for (const variant of variantsOf(wanted, rules)) {
    for (const item of items) {
      if (namesOf(item).includes(variant)) return item;
    }
  }
  let best: { item: T; length: number } | undefined;
  for (const item of items) {
    for (const name of namesOf(item)) {
      const starts = name.includes(' ') && wanted.startsWith(`${name} `);
      const runsInto =
        unspaced.test(name) &&
        name.length >= 2 &&
        (wanted.startsWith(name) || wanted.endsWith(name));
      if ((starts || runsInto) && (!best || name.length > best.length)) {
        best = { item, length: name.length };
      }
    }
  }
  return best?.item;
}

/** Whether a heading names relations between things ("Component Relationships"), not things. */
export function isRelationHeading(template: TemplateSpec, heading: string): boolean {
  const words = normalizeHeading(heading);
  return (template.headingRules?.notCards ?? []).some((word) => {
    const norm = normalizeHeading(word);
    return unspaced.test(norm) ? words.includes(norm) : ` ${words} `.includes(` ${norm} `);
  });
}

const holdsFieldCards = (section: SectionSpec): boolean =>
  section.blocks.some((b) => b.kind === 'cards' && b.body === 'fields');

export function findSection(template: TemplateSpec, heading: string): SectionSpec | undefined {
  // A heading about relations never opens a section of cards: those cards would be made up.
  const candidates = isRelationHeading(template, heading)
    ? template.sections.filter((s) => !holdsFieldCards(s))
    : template.sections;
  return matchNamed(candidates, heading, template.headingRules);
}

type FixedBlockSpec = Exclude<BlockSpec, { kind: 'cards' }>;

const fixedBlocksOf = (section: SectionSpec): FixedBlockSpec[] =>
  section.blocks.filter((b): b is FixedBlockSpec => b.kind !== 'cards');

/** The fixed (non-card) block of a section a `###` heading names. */
export function findBlock(section: SectionSpec, heading: string): BlockSpec | undefined {
  return matchNamed(fixedBlocksOf(section), heading);
}

/**
 * The fixed block a heading names exactly, by its name or a synonym (prefixes and suffixes of
 * the rules aside): "## Data Flow" means the Data Flow diagram of its section.
 */
export function findNamedBlock(
  template: TemplateSpec,
  section: SectionSpec,
  heading: string,
): FixedBlockSpec | undefined {
  const variants = variantsOf(normalizeHeading(heading), template.headingRules ?? noRules);
  return fixedBlocksOf(section).find((block) =>
    namesOf(block).some((name) => variants.includes(name)),
  );
}

/** The field a `**Label**` names, exact (normalised) names only. */
export function findField(fields: readonly FieldSpec[], label: string): FieldSpec | undefined {
  const wanted = normalizeHeading(label);
  return fields.find((f) =>
    [f.label, ...(f.synonyms ?? [])].map(normalizeHeading).includes(wanted),
  );
}

export function cardsBlockOf(section: SectionSpec): CardsBlockSpec | undefined {
  return section.blocks.find((b): b is CardsBlockSpec => b.kind === 'cards');
}

/**
 * The card list a `###` heading names as a whole ("Key Components", "Backend Patterns"): its
 * section and spec. Numbered headings ("### 2. Caching Patterns") name one card, not a list.
 */
export function findCardList(
  template: TemplateSpec,
  heading: string,
): { section: SectionSpec; spec: CardsBlockSpec } | undefined {
  if (/^\s*[*_]*\s*\d+[.):]?\s/u.test(heading) || isRelationHeading(template, heading))
    return undefined;
  const wanted = normalizeHeading(heading);
  const variants = variantsOf(wanted, template.headingRules ?? noRules);
  const lastWord = wanted.split(' ').pop() ?? '';
  for (const section of template.sections) {
    const spec = cardsBlockOf(section);
    if (!spec) continue;
    const names = (spec.listHeadings ?? []).map(normalizeHeading);
    const groups = (spec.groupWords ?? []).map(normalizeHeading);
    const grouped = groups.some((g) => lastWord === g || (unspaced.test(g) && wanted.endsWith(g)));
    if (variants.some((v) => names.includes(v)) || grouped) return { section, spec };
  }
  return undefined;
}

/** Whether a heading names a run of steps: "Auth Flow", "Deploy workflow", "How sync works". */
export function isStepHeading(spec: CardsBlockSpec, heading: string): boolean {
  const words = normalizeHeading(heading);
  return (spec.stepHeadingWords ?? []).some((word) => {
    if (word.includes('*')) {
      const [head = '', tail = ''] = word.split('*').map(normalizeHeading);
      return words.startsWith(`${head} `) && words.endsWith(` ${tail}`);
    }
    const norm = normalizeHeading(word);
    return unspaced.test(norm) ? words.includes(norm) : ` ${words} `.includes(` ${norm} `);
  });
}
