import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkdown, printMarkdown } from './index.ts';
import { missingWords } from './testSupport.ts';

/**
 * Random documents built from the shapes the recognizers read (card lists, unlabelled cards,
 * labelled paragraphs, diagrams, tables, list rows, steps, headings with numbering, emphasis
 * and other languages): an import must keep every word and fmt must be idempotent.
 */
const word = fc.stringMatching(/^[a-z]{2,8}$/);
const jp = fc.constantFrom('データ', '処理', 'キュー', 'リポジトリ', '写真');
const phrase = fc
  .array(fc.oneof(word, word, jp), { minLength: 1, maxLength: 6 })
  .map((w) => w.join(' '));
const name = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
const label = fc.constantFrom(
  'Purpose',
  'Role',
  'Tech',
  'API',
  'Why',
  'Decision',
  'How',
  'Used in',
  'Context',
  'Owner',
);

const sectionHeading = fc.constantFrom(
  'System Architecture',
  '**1. Architecture Overview**',
  'システムアーキテクチャ概要',
  'Key Components',
  'Core Components',
  'Design Patterns in Use',
  '設計パターンとプラクティス',
  'Key Technical Decisions',
  'Component Relationships',
  'Data Flow',
  'Database',
  'Third-Party Services',
  'How Sync Works',
  'Deployment Workflow',
  'Glossary',
);
const subHeading = fc.constantFrom(
  'Key Components',
  'Backend Patterns',
  'Upload Flow',
  'Data Flow',
  'Storage',
  '1. Use Postgres',
  '**Cache Layer**',
  'Queue Relationships',
);

const item = fc.oneof(
  fc.tuple(name, phrase).map(([n, t]) => `**${n}**: ${t}`),
  fc.tuple(name, phrase).map(([n, t]) => `**${n}** — ${t}`),
  fc.tuple(name, phrase).map(([n, t]) => `${n}: ${t}`),
  fc
    .tuple(name, label, phrase, phrase)
    .map(([n, l, a, b]) => `**${n}**\n   - **${l}**: ${a}\n   - ${b}`),
  phrase,
);
const bulletList = fc
  .array(item, { minLength: 1, maxLength: 4 })
  .map((items) => items.map((i) => `- ${i}`).join('\n'));
const numberedList = fc
  .array(item, { minLength: 1, maxLength: 4 })
  .map((items) => items.map((i, n) => `${n + 1}. ${i}`).join('\n'));
const block = fc.oneof(
  phrase,
  bulletList,
  numberedList,
  fc.tuple(label, phrase).map(([l, t]) => `**${l}**: ${t}`),
  fc.tuple(label, bulletList).map(([l, list]) => `**${l}**:\n${list}`),
  fc
    .tuple(fc.constantFrom('mermaid', 'text', '', 'ts'), phrase)
    .map(([lang, t]) => `\`\`\`${lang}\n${t}\n\`\`\``),
  fc
    .tuple(name, phrase, phrase)
    .map(([a, b, c]) => `| Store | Contents | Owner |\n|---|---|---|\n| ${a} | ${b} | ${c} |`),
);
const body = fc.array(block, { minLength: 0, maxLength: 3 }).map((b) => b.join('\n\n'));
const subsection = fc.tuple(subHeading, body).map(([h, b]) => `### ${h}\n${b}`);
const section = fc
  .tuple(sectionHeading, body, fc.array(subsection, { maxLength: 3 }))
  .map(([h, b, subs]) => [`## ${h}`, b, ...subs].filter((p) => p !== '').join('\n\n'));
const documentText = fc
  .tuple(fc.boolean(), fc.array(section, { minLength: 1, maxLength: 6 }), fc.boolean())
  .map(([titled, sections, crlf]) => {
    const text = [titled ? '# System Patterns: Demo' : '', ...sections]
      .filter(Boolean)
      .join('\n\n');
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

describe('documents built from the recognized shapes', () => {
  it('keep every word and format idempotently', () => {
    fc.assert(
      fc.property(documentText, (input) => {
        const once = printMarkdown(parseMarkdown(input));
        expect(missingWords(input, once)).toEqual([]);
        expect(printMarkdown(parseMarkdown(once))).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});
