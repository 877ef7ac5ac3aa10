import { describe, expect, it } from 'vitest';
import { documentSchema } from '@syspat/model';
import { parseMarkdown, printMarkdown } from './index.ts';
import { corpusDir, corpusFiles, missingWords } from './testSupport.ts';

const files = corpusFiles();
const fmt = (text: string) => printMarkdown(parseMarkdown(text));

// Real files from other teams live in ../shared/corpus; a clone without it skips these tests.
describe.skipIf(files.length === 0)(`the real-world corpus (${corpusDir})`, () => {
  it('has files to test', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  describe.each(files)('$name', ({ text }) => {
    const once = fmt(text);

    it('formats idempotently', () => {
      expect(fmt(once)).toBe(once);
    });

    it('keeps every word of every body line', () => {
      expect(missingWords(text, once)).toEqual([]);
    });

    it('reads into a schema-valid model', () => {
      const result = documentSchema.safeParse(parseMarkdown(text));
      expect(result.error?.issues ?? []).toEqual([]);
    });
  });

  it('maps the memory-bank headings to template sections', () => {
    const mapped = new Map<string, number>();
    for (const { text } of files) {
      const doc = parseMarkdown(text);
      for (const [id, section] of Object.entries(doc.sections))
        if (section) mapped.set(id, (mapped.get(id) ?? 0) + 1);
    }
    // Most files have an architecture overview, decisions and patterns under some name.
    expect(mapped.get('architecture') ?? 0).toBeGreaterThanOrEqual(15);
    expect(mapped.get('decisions') ?? 0).toBeGreaterThanOrEqual(10);
    expect(mapped.get('patterns') ?? 0).toBeGreaterThanOrEqual(15);
  });
});

if (files.length === 0) {
  console.warn(
    `Skipping the corpus tests: ${corpusDir} is not there (it sits beside the repo in CI).`,
  );
}
