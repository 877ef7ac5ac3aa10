import type { TemplateSpec } from '@syspat/template';
import { systemPatternsTemplate } from '@syspat/template';

/**
 * One source of truth for a document's name: its `#` heading. Real files name their project as
 * `# System Patterns: <Project>`, so the name is what follows the template's title; a heading
 * without that prefix is the name as it stands. The listing shows the name, never a second copy.
 */

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function prefixOf(template: TemplateSpec): RegExp {
  return new RegExp(`^${escapeRegExp(template.title)}\\s*(?:[:|\\-–—]\\s*|$)`, 'iu');
}

/** Emphasis and code marks around words say nothing about the name (`# **Lumen**`). */
const plain = (text: string): string =>
  text
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** The name a `#` heading gives the document, or null when it names nothing (none, or the bare template title). */
export function nameFromHeading(
  heading: string | null,
  template: TemplateSpec = systemPatternsTemplate,
): string | null {
  if (heading === null) return null;
  const text = plain(heading);
  const name = text.replace(prefixOf(template), '').trim();
  return name === '' ? null : name;
}

/**
 * The `#` heading for a new name, keeping the heading's own style: `System Patterns: <name>`
 * when the heading used the template's prefix (or there was none), the bare name otherwise.
 */
export function headingForName(
  name: string,
  current: string | null,
  template: TemplateSpec = systemPatternsTemplate,
): string {
  const clean = name.replace(/\s+/g, ' ').trim();
  if (current === null || current.trim() === '' || prefixOf(template).test(plain(current)))
    return `${template.title}: ${clean}`;
  return clean;
}
