import { describe, expect, it } from 'vitest';
import { lintDocument, parseMarkdown, type LintWarning } from './index.ts';
import { readFixture, readTemplateFixture } from './testSupport.ts';

const rules = (warnings: LintWarning[]) => warnings.map((w) => w.rule);
const lint = (markdown: string) => lintDocument(parseMarkdown(markdown));

describe('lintDocument', () => {
  it('finds nothing to say about a complete document', () => {
    expect(lint(readFixture('filled.md'))).toEqual([]);
  });

  it('reports every placeholder of the unfilled template, and no decision errors for untouched cards', () => {
    const warnings = lint(readTemplateFixture());
    expect(new Set(rules(warnings))).toEqual(new Set(['placeholder-left']));
    expect(warnings.find((w) => w.where === 'Component 1 › Purpose')).toMatchObject({
      severity: 'warning',
      section: 'components',
      sectionHeading: 'Core Components',
    });
  });

  it('reports a section with nothing under its heading', () => {
    expect(lint('## Design Patterns\n\n## Core Components\n\nSomething.')).toEqual([
      expect.objectContaining({ rule: 'empty-section', section: 'patterns' }),
    ]);
  });

  it('reports table rows with some cells empty', () => {
    const warnings = lint(
      '## Data Architecture\n\n### Storage Strategy\n| Data Type | Storage | Rationale | Retention |\n|---|---|---|---|\n| Users | Postgres |  | forever |',
    );
    expect(warnings).toEqual([
      expect.objectContaining({ rule: 'empty-table-cell', where: 'Storage Strategy › row 1' }),
    ]);
    expect(warnings[0]?.message).toContain('Rationale');
  });

  it('reports decisions without rationale as errors and without impact as warnings', () => {
    const warnings = lint(
      '## Key Technical Decisions\n\n### Decision 1: Use Postgres\n- **Choice**: Postgres\n\n### Decision 2: Use Redis\n- **Choice**: Redis\n- **Rationale**: fast\n- **Impact**: one more service',
    );
    expect(warnings.map((w) => [w.rule, w.severity, w.where])).toEqual([
      ['decision-without-rationale', 'error', 'Decision 1 (Use Postgres)'],
      ['decision-without-impact', 'warning', 'Decision 1 (Use Postgres)'],
    ]);
  });

  it('reports paths and integrations that name a component without a card', () => {
    const markdown = [
      '## Core Components',
      '',
      '### Component 1: Auth Service',
      '- **Purpose**: Logins',
      '',
      '## Critical Implementation Paths',
      '',
      '### Path 1: Login',
      '1. The `Auth Service` checks the password',
      '2. The **Billing Service** records the session',
    ].join('\n');
    expect(lint(markdown)).toEqual([
      expect.objectContaining({
        rule: 'unknown-component',
        section: 'paths',
        where: 'Path 1 › step 2',
      }),
    ]);
  });
});
