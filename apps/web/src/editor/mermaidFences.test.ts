import { describe, expect, it } from 'vitest';
import { mermaidFences } from './mermaidFences.ts';

describe('mermaidFences', () => {
  it('finds each mermaid fence of a body, in order, and not other fences', () => {
    const body = [
      'Cache first:',
      '',
      '```mermaid',
      'graph TD',
      '  A --> B',
      '```',
      '',
      '```python',
      'print(1)',
      '```',
      '',
      '~~~~ mermaid',
      'sequenceDiagram',
      '~~~',
      '  A->>B: hi',
      '~~~~',
    ].join('\r\n');
    expect(mermaidFences(body)).toEqual([
      'graph TD\n  A --> B',
      'sequenceDiagram\n~~~\n  A->>B: hi',
    ]);
  });

  it('does not take a mermaid fence quoted inside another fence', () => {
    expect(mermaidFences('````md\n```mermaid\ngraph TD\n```\n````')).toEqual([]);
  });

  it('reads an unclosed fence to the end of the body', () => {
    expect(mermaidFences('```mermaid\ngraph LR\n  X --> Y')).toEqual(['graph LR\n  X --> Y']);
  });
});
