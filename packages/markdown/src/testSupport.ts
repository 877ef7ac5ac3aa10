import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Lower-cased words (letters and digits) of the lines that are not headings. */
export function bodyWords(markdown: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (atxHeading.test(line)) continue;
    for (const word of line.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
      counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

/** Words of the input's body lines that the output has fewer of (output counted in full). */
export function missingWords(input: string, output: string): string[] {
  const have = new Map<string, number>();
  for (const word of output.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    have.set(word, (have.get(word) ?? 0) + 1);
  const missing: string[] = [];
  for (const [word, count] of bodyWords(input))
    if ((have.get(word) ?? 0) < count) missing.push(word);
  return missing;
}
