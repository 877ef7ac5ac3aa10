import { describe, expect, it } from 'vitest';
import { singleEmphasis } from './inlineMarkdown.ts';

describe('singleEmphasis', () => {
  it('returns the text of a line that is one emphasised span', () => {
    expect(
      singleEmphasis(
        '*Technical architecture, design patterns, and critical implementation decisions*',
      ),
    ).toBe('Technical architecture, design patterns, and critical implementation decisions');
    expect(singleEmphasis('_Why we built it_')).toBe('Why we built it');
    expect(singleEmphasis('  *Padded line*\n')).toBe('Padded line');
  });

  it('leaves plain text, several spans, strong emphasis and other markdown alone', () => {
    for (const markdown of [
      '',
      'Plain intro',
      '*one* and *two*',
      '**Strong**',
      '*Mixed markers_',
      '* list item*',
      '*trailing space *',
      '*with `code`*',
      '*a [link](x)*',
      '*AT&amp;T*',
      '*escaped \\* star*',
      '*<b>html</b>*',
      '*two\nlines*',
      '*unclosed',
    ]) {
      expect(singleEmphasis(markdown), markdown).toBeNull();
    }
  });
});
