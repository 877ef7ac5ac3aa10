import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importReport, parseMarkdown, printMarkdown } from './index.ts';

/**
 * Property tests of the import report over documents built from the template's own shapes:
 * the counts are what was written, and a second import of the canonical output says the same.
 */

const word = fc.stringMatching(/^[a-z]{3,8}$/);
const name = fc
  .tuple(fc.stringMatching(/^[A-Z][a-z]{2,7}$/), fc.stringMatching(/^[A-Z][a-z]{2,7}$/))
  .map(([a, b]) => `${a} ${b}`);
const sentence = fc.array(word, { minLength: 2, maxLength: 6 }).map((w) => w.join(' '));

const PROSE_SECTIONS = ['Security Architecture', 'Performance Patterns', 'Scalability Patterns'];

const documents = fc.record({
  components: fc.array(fc.record({ name, purpose: sentence }), { maxLength: 6 }),
  decisions: fc.array(fc.record({ name, choice: sentence, why: sentence }), { maxLength: 4 }),
  rows: fc.array(fc.record({ type: name, store: name }), { maxLength: 4 }),
  prose: fc.subarray(PROSE_SECTIONS),
  proseText: sentence,
  extras: fc.uniqueArray(fc.stringMatching(/^[A-Z][a-z]{3,7}$/), { maxLength: 3 }),
});

type Shape = typeof documents extends fc.Arbitrary<infer T> ? T : never;

function toMarkdown(d: Shape): string {
  const parts = ['# System Patterns: Property'];
  if (d.components.length > 0)
    parts.push(
      '## Core Components',
      ...d.components.map(
        (c, i) => `### Component ${i + 1}: ${c.name}\n- **Purpose**: ${c.purpose}`,
      ),
    );
  if (d.rows.length > 0)
    parts.push(
      '## Data Architecture',
      [
        '### Storage Strategy',
        '| Data Type | Storage | Rationale | Retention |',
        '|---|---|---|---|',
        ...d.rows.map((r) => `| ${r.type} | ${r.store} | fits | a year |`),
      ].join('\n'),
    );
  for (const heading of d.prose) parts.push(`## ${heading}`, d.proseText);
  if (d.decisions.length > 0)
    parts.push(
      '## Key Technical Decisions',
      ...d.decisions.map(
        (c, i) =>
          `### Decision ${i + 1}: ${c.name}\n- **Choice**: ${c.choice}\n- **Rationale**: ${c.why}`,
      ),
    );
  for (const extra of d.extras) parts.push(`## Zyx ${extra} Qwv`, d.proseText);
  return `${parts.join('\n\n')}\n`;
}

describe('importReport over generated documents', () => {
  it('counts exactly the cards, rows, notes-only and extra sections written', () => {
    fc.assert(
      fc.property(documents, (d) => {
        const report = importReport(parseMarkdown(toMarkdown(d)));
        expect(report.components).toBe(d.components.length);
        expect(report.decisions).toBe(d.decisions.length);
        expect(report.rows).toBe(d.rows.length);
        expect(report.tables).toBe(d.rows.length > 0 ? 1 : 0);
        expect([...report.notesOnlySections].sort()).toEqual([...d.prose].sort());
        expect(report.extraSections).toEqual(d.extras.map((e) => `Zyx ${e} Qwv`));
        expect(report.text.includes('component')).toBe(d.components.length > 0);
      }),
      { numRuns: 150 },
    );
  });

  it('says the same of the canonical output: a second import recognizes it as it stands', () => {
    fc.assert(
      fc.property(documents, (d) => {
        const first = importReport(parseMarkdown(toMarkdown(d)));
        const again = importReport(parseMarkdown(printMarkdown(parseMarkdown(toMarkdown(d)))));
        expect(again).toEqual(first);
      }),
      { numRuns: 100 },
    );
  });
});
