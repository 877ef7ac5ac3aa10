import { describe, expect, it } from 'vitest';
import {
  cardsBlockOf,
  findBlock,
  findCardList,
  findField,
  findNamedBlock,
  findSection,
  isStepHeading,
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
    ['Component Relationships', 'integration'],
    ['4. Component Relationships & Interactions', 'integration'],
    ['コンポーネント間の関係', 'integration'],
    ['**1. Core Components**', 'components'],
    ['Architecture Patterns', 'patterns'],
    ['システムアーキテクチャ概要', 'architecture'],
    ['設計パターンとプラクティス', 'patterns'],
    ['Key Data Flow', 'data'],
    ['Database', 'data'],
    ['Third-Party Services', 'integration'],
    ['Monitoring and Observability', 'observability'],
    ['Error Handling Strategy', 'errors'],
  ])('maps "%s" to %s', (heading, id) => {
    expect(sectionOf(heading)).toBe(id);
  });

  it.each(['Testing Patterns', 'Project Structure', 'Deployment', 'Component Dependency Tree', ''])(
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

describe('recognizer data', () => {
  const section = (id: string) => {
    const found = systemPatternsTemplate.sections.find((s) => s.id === id);
    if (!found) throw new Error(`the template has a ${id} section`);
    return found;
  };

  it.each([
    ['Key Components', 'components'],
    ['Key Architectural Components', 'components'],
    ['Backend Patterns', 'patterns'],
    ['Design Patterns to Consider', 'patterns'],
    ['Key Decisions', 'decisions'],
    ['主要コンポーネント', 'components'],
  ])('reads the subsection "%s" as a list of %s cards', (heading, id) => {
    expect(findCardList(systemPatternsTemplate, heading)?.section.id).toBe(id);
  });

  it.each(['2. Caching Patterns', 'Component Relationships', 'Frontend', 'Data Flow'])(
    'does not read the subsection "%s" as a card list',
    (heading) => {
      expect(findCardList(systemPatternsTemplate, heading)).toBeUndefined();
    },
  );

  it('knows which headings hold steps', () => {
    const paths = cardsBlockOf(section('paths'));
    if (!paths) throw new Error('the paths section has cards');
    const steps = ['Authentication Flow', 'Deploy workflow', 'How sync works', '認証フロー'];
    expect(steps.filter((h) => isStepHeading(paths, h))).toEqual(steps);
    expect(isStepHeading(paths, 'Caching Strategy')).toBe(false);
  });

  it('finds the block a section heading names', () => {
    expect(findNamedBlock(systemPatternsTemplate, section('data'), 'Data Flow')?.id).toBe('flow');
    expect(findNamedBlock(systemPatternsTemplate, section('data'), 'Databases')?.id).toBe(
      'storage',
    );
    expect(
      findNamedBlock(systemPatternsTemplate, section('integration'), 'Component Relationships')?.id,
    ).toBe('internal');
    expect(findNamedBlock(systemPatternsTemplate, section('data'), 'Data Architecture')).toBe(
      undefined,
    );
  });

  it('maps label synonyms to their fields', () => {
    const fieldOf = (id: string, label: string) =>
      findField(cardsBlockOf(section(id))?.fields ?? [], label)?.id;
    expect(
      [
        ['components', 'Role'],
        ['components', 'Responsibility'],
        ['components', 'Stack'],
        ['components', 'API'],
        ['components', 'Code'],
        ['decisions', 'Why'],
        ['decisions', 'Decision'],
        ['decisions', 'Consequences'],
        ['patterns', 'Used in'],
        ['patterns', 'How'],
      ].map(([id = '', label = '']) => fieldOf(id, label)),
    ).toEqual([
      'responsibilities',
      'responsibilities',
      'technology',
      'interfaces',
      'location',
      'rationale',
      'choice',
      'impact',
      'whereUsed',
      'implementation',
    ]);
  });

  it('names a default and a primary field that exist on every card list with fields', () => {
    for (const s of systemPatternsTemplate.sections) {
      const cards = cardsBlockOf(s);
      if (!cards || cards.body !== 'fields') continue;
      const ids = cards.fields.map((f) => f.id);
      expect(ids).toContain(cards.defaultField);
      expect(ids).toContain(cards.primaryField);
    }
  });
});
