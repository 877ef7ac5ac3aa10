import { describe, expect, it } from 'vitest';
import { importReport, parseMarkdown } from './index.ts';
import { readFixture, readTemplateFixture } from './testSupport.ts';

const report = (markdown: string) => importReport(parseMarkdown(markdown));

const memoryBank = [
  '# System Patterns: Lumen',
  '',
  '## System Architecture Overview',
  '',
  '### High-Level Architecture',
  '```mermaid',
  'graph TD; A-->B',
  '```',
  '',
  '## Core Components',
  '',
  '### Component 1: API Gateway',
  '- **Purpose**: Routes requests',
  '',
  '### Component 2: Worker',
  '- **Purpose**: Runs jobs',
  '',
  '## Data Architecture',
  '',
  '### Storage Strategy',
  '| Data Type | Storage | Rationale | Retention |',
  '|---|---|---|---|',
  '| Users | Postgres | relational | forever |',
  '| Jobs | Redis | fast | a day |',
  '',
  '## Key Technical Decisions',
  '',
  '### Decision 1: TypeScript',
  '- **Choice**: TypeScript everywhere',
  '',
  '## Security Architecture',
  '',
  'Tokens are short-lived; secrets live in the vault.',
  '',
  '## Testing Strategy',
  '',
  'Unit tests beside the code.',
  '',
].join('\n');

describe('importReport', () => {
  it('says what an import recognized, in one line', () => {
    const result = report(memoryBank);
    expect(result.text).toBe(
      '2 components, 1 decision, 1 diagram, 1 table; 1 section kept as notes; 1 extra section',
    );
    expect(result).toMatchObject({
      components: 2,
      decisions: 1,
      patterns: 0,
      diagrams: 1,
      tables: 1,
      rows: 2,
      notesOnlySections: ['Security Architecture'],
      extraSections: ['Testing Strategy'],
    });
  });

  it('counts nothing in the unfilled template: placeholders are not content', () => {
    const result = report(readTemplateFixture());
    expect(result.text).toBe('nothing structured');
    expect(result.notesOnlySections).toEqual([]);
  });

  it('says when a file is nothing but notes', () => {
    const result = report(
      '## Core Components\n\nAll of it in prose.\n\n## Design Patterns\n\nMore prose.\n',
    );
    expect(result.text).toBe('nothing structured; 2 sections kept as notes');
  });

  it('grows with the document: one more card is one more in the count', () => {
    const filled = readFixture('filled.md');
    const before = report(filled);
    const after = report(
      filled.replace(
        '## Design Patterns',
        '### Component 99: Extra Cache\n- **Purpose**: Holds hot reads\n\n## Design Patterns',
      ),
    );
    expect(after.components).toBe(before.components + 1);
    expect(after.text).not.toBe(before.text);
  });
});
