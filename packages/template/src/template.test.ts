import { describe, expect, it } from 'vitest';
import {
  findBlock,
  findField,
  findSection,
  normalizeHeading,
  systemPatternsTemplate,
} from './index.ts';

const sectionOf = (heading: string) => findSection(systemPatternsTemplate, heading)?.id;

describe('the template description', () => {
  it('lists the template sections in order', () => {
    expect(systemPatternsTemplate.sections.map((s) => s.heading)).toEqual([
      'System Architecture Overview',
      'Core Components',
      'Design Patterns',
      'Data Architecture',
      'Integration Architecture',
      'Security Architecture',
      'Critical Implementation Paths',
      'Performance Patterns',
      'Scalability Patterns',
      'Key Technical Decisions',
      'Error Handling Patterns',
      'Monitoring & Observability',
    ]);
  });

  it('gives every section, block and field an id unique where it is used', () => {
    const sectionIds = systemPatternsTemplate.sections.map((s) => s.id);
    expect(new Set(sectionIds).size).toBe(sectionIds.length);
    for (const section of systemPatternsTemplate.sections) {
      const blockIds = section.blocks.map((b) => b.id);
      expect(new Set(blockIds).size).toBe(blockIds.length);
      for (const block of section.blocks) {
        if (block.kind !== 'fields' && block.kind !== 'cards') continue;
        const fieldIds = block.fields.map((f) => f.id);
        expect(new Set(fieldIds).size).toBe(fieldIds.length);
      }
    }
  });

  it('does not give two sections the same name or synonym', () => {
    const names = systemPatternsTemplate.sections.flatMap((s) =>
      [s.heading, ...s.synonyms].map(normalizeHeading),
    );
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});

describe('heading matching', () => {
  it.each([
    ['System Architecture', 'architecture'],
    ['1. System Architecture Overview', 'architecture'],
    ['system architecture', 'architecture'],
    ['Architecture Overview', 'architecture'],
    ['🏗️ Architecture', 'architecture'],
    ['システムアーキテクチャ', 'architecture'],
    ['Arquitetura', 'architecture'],
    ['Design Patterns in Use', 'patterns'],
    ['3. Design Patterns in Use', 'patterns'],
    ['使用している設計パターン', 'patterns'],
    ['Padrões de Design', 'patterns'],
    ['Key Architectural Decisions', 'decisions'],
    ['2. Key Architectural Decisions & Rationales', 'decisions'],
    ['Key technical decisions', 'decisions'],
    ['Decisões Técnicas', 'decisions'],
    ['主要な技術的決定', 'decisions'],
    ['Critical implementation paths', 'paths'],
    ['Component Relationships', 'components'],
    ['Monitoring and Observability', 'observability'],
    ['Error Handling Strategy', 'errors'],
  ])('maps "%s" to %s', (heading, id) => {
    expect(sectionOf(heading)).toBe(id);
  });

  it.each(['Testing Patterns', 'Project Structure', 'Architecture Patterns', 'Deployment', ''])(
    'leaves "%s" as a section of its own',
    (heading) => {
      expect(sectionOf(heading)).toBeUndefined();
    },
  );

  it('finds blocks and fields by their template wording and synonyms', () => {
    const data = systemPatternsTemplate.sections.find((s) => s.id === 'data');
    expect(data && findBlock(data, 'storage strategy')?.id).toBe('storage');
    const style = systemPatternsTemplate.sections[0]?.blocks[1];
    expect(style?.kind === 'fields' && findField(style.fields, 'Tradeoffs')?.id).toBe('tradeoffs');
    expect(style?.kind === 'fields' && findField(style.fields, 'trade-offs:')?.id).toBe(
      'tradeoffs',
    );
  });
});
