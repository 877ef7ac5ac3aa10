import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeHeading, systemPatternsTemplate, type TemplateSpec } from '@syspat/template';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const corpusDir = path.join(sharedDir, 'corpus');

export function readFixture(name: string): string {
  return readFileSync(path.join(here, '../fixtures', name), 'utf8');
}

export function readTemplateFixture(): string {
  return readFileSync(path.join(repoRoot, 'packages/template/fixtures/system-patterns.md'), 'utf8');
}

/** The real System Patterns files in ../shared/corpus, or [] when this clone has no ../shared. */
export function corpusFiles(): { name: string; text: string }[] {
  if (!existsSync(corpusDir)) return [];
  return readdirSync(corpusDir)
    .filter((f) => /^\d+.*\.md$/.test(f))
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(corpusDir, name), 'utf8') }));
}

const atxHeading = /^ {0,3}#{1,6}(?:[ \t]|$)/;

// The number of a numbered list item is its marker, like `-`: a list read as cards or steps is
// numbered by the template's own scheme.
const orderedMarker = /^(\s*(?:>\s*)*)\d{1,9}[.)](?=\s|$)/;

/** Lower-cased words (letters and digits) of the lines that are not headings. */
export function bodyWords(markdown: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (atxHeading.test(line)) continue;
    for (const word of line
      .replace(orderedMarker, '$1')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [])
      counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

/**
 * The template's other spellings of its field labels and column headers: on import, `**Why**:`
 * becomes the Rationale field and a `Store` header the Storage column, so the output writes the
 * template's name where the input wrote its synonym.
 */
function renamingSynonyms(template: TemplateSpec): Set<string> {
  const names = new Set<string>();
  for (const section of template.sections)
    for (const block of section.blocks) {
      const specs = block.kind === 'table' ? block.columns : 'fields' in block ? block.fields : [];
      for (const spec of specs)
        for (const synonym of spec.synonyms ?? [])
          if (normalizeHeading(synonym) !== normalizeHeading(spec.label))
            names.add(normalizeHeading(synonym));
    }
  return names;
}

const synonyms = renamingSynonyms(systemPatternsTemplate);
const labelAt = /^\s*(?:>\s*)*(?:(?:[-*+]|\d+[.)])\s+)*\*\*([^*\n]+?)\*\*/;

/**
 * Words of the labels and table headers an import renames to the template's wording: a
 * `**Label**` opening a line, or a header cell (the row above a `|---|` row), written as one of
 * the template's synonyms. These are the form's field names, not what a person wrote in it.
 */
export function renamedWords(input: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (label: string) => {
    const norm = normalizeHeading(label);
    if (!synonyms.has(norm)) return;
    for (const word of norm.match(/[\p{L}\p{N}]+/gu) ?? [])
      counts.set(word, (counts.get(word) ?? 0) + 1);
  };
  const lines = input.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((line, i) => {
    const label = labelAt.exec(line)?.[1];
    if (label) add(label);
    if (/^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? '') && line.includes('|'))
      for (const header of line.split('|')) add(header);
  });
  return counts;
}

/**
 * Words of the input's body lines that the output has fewer of (output counted in full).
 * Labels and headers written as a template synonym may come out in the template's wording.
 */
export function missingWords(input: string, output: string): string[] {
  const have = new Map<string, number>();
  for (const word of output.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    have.set(word, (have.get(word) ?? 0) + 1);
  const renamed = renamedWords(input);
  const missing: string[] = [];
  for (const [word, count] of bodyWords(input))
    if ((have.get(word) ?? 0) + (renamed.get(word) ?? 0) < count) missing.push(word);
  return missing;
}
