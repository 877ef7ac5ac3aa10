import { describe, expect, it } from 'vitest';
import { systemPatternsTemplate } from '@syspat/template';
import { lintDocument, parseMarkdown, type LintWarning } from './index.ts';
import { readFixture, readTemplateFixture } from './testSupport.ts';

const rules = (warnings: LintWarning[]) => warnings.map((w) => w.rule);
const lint = (markdown: string) => lintDocument(parseMarkdown(markdown));

describe('lintDocument', () => {
  it('finds nothing to say about a complete document', () => {
    expect(lint(readFixture('filled.md'))).toEqual([]);
  });

  it('sums up the unfilled template in one warning instead of one per placeholder', () => {
    const warnings = lint(readTemplateFixture());
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      rule: 'unfilled-template',
      severity: 'warning',
      section: null,
    });
    const sections = systemPatternsTemplate.sections.length;
    expect(warnings[0]?.message).toMatch(
      new RegExp(`^This is the unfilled template: \\d+ placeholders in ${sections} sections`),
    );
  });

  it('reports each untouched section once and the placeholders of a started one per field', () => {
    const template = readTemplateFixture();
    const started = template.replace('### Component 1: [Name]', '### Component 1: Auth Service');
    const warnings = lint(started);
    expect(warnings.filter((w) => w.section === 'components').map((w) => w.rule)).toContain(
      'placeholder-left',
    );
    expect(warnings.find((w) => w.where === 'Component 1 › Purpose')).toMatchObject({
      severity: 'warning',
      sectionHeading: 'Core Components',
    });
    const others = warnings.filter((w) => w.section !== 'components');
    expect(others.every((w) => w.rule === 'unfilled-section')).toBe(true);
    expect(new Set(others.map((w) => w.section)).size).toBe(others.length);
    expect(others).toHaveLength(systemPatternsTemplate.sections.length - 1);
  });

  it('says a section whose content is only notes is notes only, not complete', () => {
    const warnings = lint(
      '## Core Components\n\nThe API gateway fronts the workers; a cache sits in between.\n',
    );
    expect(warnings).toEqual([
      expect.objectContaining({ rule: 'notes-only-section', section: 'components' }),
    ]);
    expect(warnings[0]?.message).toContain('Structure this');
  });

  it('does not call a section notes only once one card holds text', () => {
    const warnings = lint(
      '## Core Components\n\nSome background.\n\n### Component 1: Cache\n- **Purpose**: Keeps hot reads\n',
    );
    expect(rules(warnings)).not.toContain('notes-only-section');
  });

  it('reports a section with nothing under its heading', () => {
    expect(lint('## Design Patterns\n\n## Core Components\n\nSomething.')).toEqual([
      expect.objectContaining({ rule: 'notes-only-section', section: 'components' }),
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
