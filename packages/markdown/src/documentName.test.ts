import { describe, expect, it } from 'vitest';
import { headingForName, nameFromHeading, parseMarkdown, printMarkdown } from './index.ts';

describe('a document name and its # heading', () => {
  it('reads the project name real files put after "System Patterns:"', () => {
    expect(nameFromHeading('System Patterns: Lumen')).toBe('Lumen');
    expect(nameFromHeading('System Patterns – Billing')).toBe('Billing');
    expect(nameFromHeading('Payments Platform')).toBe('Payments Platform');
    expect(nameFromHeading('**Lumen** Architecture')).toBe('Lumen Architecture');
  });

  it('finds no name in the bare template title or a missing heading', () => {
    expect(nameFromHeading('System Patterns')).toBeNull();
    expect(nameFromHeading(null)).toBeNull();
  });

  it('writes a new name in the style the heading already had', () => {
    expect(headingForName('Atlas', 'System Patterns: Lumen')).toBe('System Patterns: Atlas');
    expect(headingForName('Atlas', 'System Patterns')).toBe('System Patterns: Atlas');
    expect(headingForName('Atlas', null)).toBe('System Patterns: Atlas');
    expect(headingForName('Atlas', 'Payments Platform')).toBe('Atlas');
  });

  it('round-trips: the heading written for a name gives that name back after export and import', () => {
    for (const [name, current] of [
      ['Atlas', 'System Patterns'],
      ['Zahlungen 2', 'Payments'],
      ['a: b', null],
    ] as const) {
      const doc = { ...parseMarkdown('# x\n'), title: headingForName(name, current) };
      expect(nameFromHeading(parseMarkdown(printMarkdown(doc)).title)).toBe(name);
    }
  });
});
