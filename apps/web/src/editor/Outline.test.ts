import { describe, expect, it } from 'vitest';
import { lintDocument, parseMarkdown } from '@syspat/markdown';
import { outlineOf } from './Outline.tsx';

const outline = (markdown: string) => {
  const model = parseMarkdown(markdown);
  return outlineOf(model, lintDocument(model));
};
const stateOf = (items: ReturnType<typeof outline>, key: string) =>
  items.find((item) => item.key === key)?.state;

describe('the outline', () => {
  it('tells structured, notes-only, empty and absent sections apart', () => {
    const items = outline(
      [
        '## Core Components',
        '',
        '### Component 1: Cache',
        '- **Purpose**: Keeps hot reads',
        '',
        '## Design Patterns',
        '',
        'We use an outbox, described in prose only.',
        '',
        '## Data Architecture',
        '',
      ].join('\n'),
    );
    expect(stateOf(items, 'components')).toBe('structured');
    expect(stateOf(items, 'patterns')).toBe('notes-only');
    expect(stateOf(items, 'data')).toBe('empty');
    expect(stateOf(items, 'security')).toBe('absent');
  });

  it('never calls a notes-only section done: it carries a warning', () => {
    const items = outline('## Design Patterns\n\nProse only.\n');
    const patterns = items.find((item) => item.key === 'patterns');
    expect(patterns?.warnings.map((w) => w.rule)).toEqual(['notes-only-section']);
  });
});
