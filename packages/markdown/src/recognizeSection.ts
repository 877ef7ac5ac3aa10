import type { KnownSection } from '@syspat/model';
import { systemPatternsTemplate } from '@syspat/template';
import { emptySection, parseMarkdown, type ParseOptions } from './parseMarkdown.ts';

export interface RecognizeOptions extends ParseOptions {
  /** The heading the markdown sat under, when not the template's ("## Data Flow"). */
  readonly heading?: string;
}

/**
 * What the recognizers make of markdown written under one known section (a section's notes,
 * say): the section as an import would read it, so the editor can offer "Structure this" and
 * show the result before applying it. Pure: the document is not touched. Cards or blocks the
 * markdown holds for other sections are not part of the result.
 */
export function recognizeSection(
  sectionId: string,
  markdown: string,
  options: RecognizeOptions = {},
): KnownSection {
  const template = options.template ?? systemPatternsTemplate;
  const spec = template.sections.find((s) => s.id === sectionId);
  if (!spec) {
    const known = template.sections.map((s) => s.id).join(', ');
    throw new Error(
      `recognizeSection: no section "${sectionId}" in the template; use one of ${known}.`,
    );
  }
  const heading = (options.heading ?? spec.heading).replace(/\s+/g, ' ').trim();
  const doc = parseMarkdown(`## ${heading}\n\n${markdown}`, options);
  return doc.sections[sectionId] ?? emptySection(template, sectionId);
}
