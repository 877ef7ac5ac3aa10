import type { ColumnSpec, FieldSpec, TemplateSpec } from './types.ts';

/** Builders that keep a field on one line: adding a field is a one-line change below. */
const text = (id: string, label: string, placeholder: string, synonyms?: string[]): FieldSpec =>
  synonyms ? { id, label, placeholder, kind: 'text', synonyms } : { id, label, placeholder, kind: 'text' };
const col = (id: string, label: string, placeholder: string): ColumnSpec => ({ id, label, placeholder, kind: 'text' });
const yesNoCol = (id: string, label: string, placeholder: string): ColumnSpec => ({ id, label, placeholder, kind: 'yesno' });

/**
 * The System Patterns template (`shared/template/system-patterns.md`) as data. The printer
 * reproduces the template byte for byte from this description (see the template's tests).
 */
export const systemPatternsTemplate: TemplateSpec = {
  title: 'System Patterns',
  intro: '*Technical architecture, design patterns, and critical implementation decisions*',
  footer:
    "---\n*This document captures the technical architecture and implementation patterns. It's updated when architectural decisions are made or patterns change.*",
  sections: [
    {
      id: 'architecture',
      heading: 'System Architecture Overview',
      synonyms: ['System Architecture', 'Architecture Overview', 'Architecture', 'High-Level Architecture', 'Overall Architecture', 'System Overview', 'System Design', 'システムアーキテクチャ', 'アーキテクチャ', 'アーキテクチャ概要', 'Arquitetura', 'Arquitetura do Sistema', 'Visão Geral da Arquitetura', 'Архитектура', 'Архитектура системы', 'Arquitectura', 'Architektur'],
      blocks: [
        { kind: 'diagram', id: 'highLevel', heading: 'High-Level Architecture', synonyms: ['Architecture Diagram', 'High Level Diagram'], placeholder: '[ASCII or text diagram showing major components and relationships]' },
        {
          kind: 'fields', id: 'style', heading: 'Architectural Style', style: 'bullet', synonyms: ['Architecture Style'],
          fields: [
            text('pattern', 'Pattern', '[e.g., Microservices, Monolith, Serverless]'),
            text('rationale', 'Rationale', '[Why this architecture was chosen]'),
            text('tradeoffs', 'Trade-offs', '[What we gain vs. what we sacrifice]', ['Tradeoffs']),
          ],
        },
      ],
    },
    {
      id: 'components',
      heading: 'Core Components',
      synonyms: ['Components', 'Key Components', 'Main Components', 'System Components', 'Key System Components', 'Component Relationships', 'Component Architecture', 'コンポーネント', 'コンポーネント間の関係', '主要コンポーネント', 'Componentes', 'Componentes Principais', 'Компоненты'],
      blocks: [
        {
          kind: 'cards', id: 'cards', cardLabel: 'Component', body: 'fields', style: 'bullet', titlePlaceholder: '[Name]', stepPlaceholder: [],
          fields: [
            text('purpose', 'Purpose', '[What it does]'),
            text('responsibilities', 'Responsibilities', '[Key functions]'),
            text('technology', 'Technology', '[Implementation details]', ['Tech', 'Tech Stack']),
            text('interfaces', 'Interfaces', '[How others interact with it]', ['Interface']),
            text('location', 'Location', '[Where to find the code]', ['Path', 'Code']),
          ],
          instances: [{ titlePlaceholder: '[Name]' }, { titlePlaceholder: '[Name]' }],
        },
      ],
    },
    {
      id: 'patterns',
      heading: 'Design Patterns',
      synonyms: ['Design Patterns in Use', 'Key Design Patterns', 'Core Design Patterns', 'Core Patterns', 'Key Patterns', 'Patterns', 'Patterns in Use', '設計パターン', '使用している設計パターン', 'デザインパターン', 'Padrões de Design', 'Padrões de Projeto', 'Паттерны проектирования', 'Шаблоны проектирования'],
      blocks: [
        {
          kind: 'cards', id: 'cards', cardLabel: 'Pattern', body: 'fields', style: 'bullet', titlePlaceholder: '[Pattern Name]', stepPlaceholder: [],
          fields: [
            text('whereUsed', 'Where Used', '[Components/modules using this pattern]'),
            text('implementation', 'Implementation', "[How it's implemented]"),
            text('benefits', 'Benefits', '[Why we use it]'),
            text('example', 'Example', '[Code location or snippet]'),
          ],
          instances: [
            { titlePlaceholder: '[Pattern Name]' },
            { titlePlaceholder: '[Pattern Name]', fields: ['whereUsed', 'implementation', 'benefits'] },
          ],
        },
      ],
    },
    {
      id: 'data',
      heading: 'Data Architecture',
      synonyms: ['Data Flow', 'Data Model', 'Data Models', 'Data Management', 'Data Management & Storage', 'Data Storage', 'Data Layer', 'データフロー', 'データアーキテクチャ', 'Arquitetura de Dados', 'Fluxo de Dados', 'Поток данных'],
      blocks: [
        { kind: 'diagram', id: 'flow', heading: 'Data Flow', placeholder: '[Diagram showing how data moves through the system]' },
        {
          kind: 'table', id: 'storage', heading: 'Storage Strategy', synonyms: ['Storage'],
          columns: [
            col('dataType', 'Data Type', '[Type]'),
            col('storage', 'Storage', '[Where stored]'),
            col('rationale', 'Rationale', '[Why]'),
            col('retention', 'Retention', '[How long]'),
          ],
          separator: '|-----------|---------|-----------|-----------|',
          placeholderRows: [],
          initialRows: 2,
        },
        {
          kind: 'fields', id: 'models', heading: 'Data Models', style: 'bullet',
          fields: [
            text('entities', 'Core Entities', '[List main domain objects]', ['Entities']),
            text('relationships', 'Relationships', '[How entities relate]'),
            text('schemas', 'Schemas', '[Location of schema definitions]'),
          ],
        },
      ],
    },
    {
      id: 'integration',
      heading: 'Integration Architecture',
      synonyms: ['Integrations', 'Integration Points', 'Integration Points with External Systems', 'External Integrations', 'Integration Patterns', 'Integração', 'Интеграции'],
      blocks: [
        { kind: 'diagram', id: 'internal', heading: 'Internal Integrations', placeholder: 'Service A <--> Service B\n   |              |\n   v              v\nService C <--> Service D' },
        {
          kind: 'table', id: 'external', heading: 'External Integrations',
          columns: [
            col('system', 'System', '[Name]'),
            col('type', 'Integration Type', '[Type]'),
            col('purpose', 'Purpose', '[Purpose]'),
            yesNoCol('critical', 'Critical?', '[Yes/No]'),
          ],
          separator: '|--------|-----------------|---------|-----------|',
          placeholderRows: [['[Name]', '[REST/GraphQL/etc]', '[Why we integrate]', '[Yes/No]']],
          initialRows: 2,
        },
        {
          kind: 'list', id: 'apiPrinciples', heading: 'API Design Principles', synonyms: ['API Design'],
          placeholder: ['[Principle 1: e.g., RESTful conventions]', '[Principle 2: e.g., Versioning strategy]', '[Principle 3: e.g., Error handling approach]'],
        },
      ],
    },
    {
      id: 'security',
      heading: 'Security Architecture',
      synonyms: ['Security', 'Security Patterns', 'Security Model', 'Security Considerations', 'セキュリティ', 'Segurança', 'Безопасность'],
      blocks: [
        {
          kind: 'fields', id: 'layers', heading: 'Security Layers', style: 'numbered',
          fields: [
            text('edge', 'Edge Security', '[WAF, DDoS protection]'),
            text('application', 'Application Security', '[Authentication, authorization]'),
            text('data', 'Data Security', '[Encryption at rest/transit]'),
            text('infrastructure', 'Infrastructure Security', '[Network isolation, secrets]'),
          ],
        },
        {
          kind: 'fields', id: 'auth', heading: 'Authentication & Authorization', style: 'bullet', synonyms: ['Authentication and Authorization', 'Authentication', 'Auth'],
          fields: [
            text('method', 'Method', '[JWT, OAuth, SAML, etc.]'),
            text('implementation', 'Implementation', '[How it works]'),
            text('model', 'Authorization Model', '[RBAC, ABAC, etc.]'),
          ],
        },
      ],
    },
    {
      id: 'paths',
      heading: 'Critical Implementation Paths',
      synonyms: ['Implementation Paths', 'Critical Paths', 'Key Workflows', 'Critical Flows', '重要な実装パス', 'Caminhos Críticos de Implementação', 'Критические пути реализации'],
      blocks: [
        {
          kind: 'cards', id: 'cards', cardLabel: 'Path', body: 'steps', style: 'numbered', titlePlaceholder: '[Flow Name]', stepPlaceholder: ['[Starting point]', '[Processing step]', '[Completion]'],
          fields: [],
          instances: [
            { titlePlaceholder: '[User Authentication Flow]', steps: ['User submits credentials', '[Step 2 with component]', '[Step 3 with component]', 'Token returned'] },
            { titlePlaceholder: '[Core Business Process]', steps: ['[Starting point]', '[Processing step]', '[Decision point]', '[Completion]'] },
          ],
        },
      ],
    },
    {
      id: 'performance',
      heading: 'Performance Patterns',
      synonyms: ['Performance', 'Performance Optimization', 'Performance Optimization Patterns', 'Performance Considerations', 'パフォーマンス', 'Desempenho', 'Производительность'],
      blocks: [
        {
          kind: 'fields', id: 'caching', heading: 'Caching Strategy', style: 'bullet', synonyms: ['Caching'],
          fields: [
            text('what', "What's Cached", '[Data types]', ['What is Cached']),
            text('where', 'Where', '[Cache locations]'),
            text('ttl', 'TTL', '[Expiration strategies]'),
            text('invalidation', 'Invalidation', '[How cache is cleared]'),
          ],
        },
        {
          kind: 'fields', id: 'async', heading: 'Async Processing', style: 'bullet', synonyms: ['Asynchronous Processing'],
          fields: [
            text('queue', 'Queue System', '[Technology used]'),
            text('useCases', 'Use Cases', '[What goes async]'),
            text('retry', 'Retry Logic', '[Failure handling]'),
          ],
        },
      ],
    },
    {
      id: 'scalability',
      heading: 'Scalability Patterns',
      synonyms: ['Scalability', 'Scaling', 'Scaling Strategy', 'スケーラビリティ', 'Escalabilidade', 'Масштабируемость'],
      blocks: [
        {
          kind: 'fields', id: 'horizontal', heading: 'Horizontal Scaling', style: 'bullet',
          fields: [
            text('stateless', 'Stateless Components', '[Which can scale out]'),
            text('loadBalancing', 'Load Balancing', '[Strategy]'),
            text('sessions', 'Session Management', '[How handled]'),
          ],
        },
        {
          kind: 'fields', id: 'vertical', heading: 'Vertical Scaling', style: 'bullet',
          fields: [
            text('bottlenecks', 'Bottlenecks', '[Known limitations]'),
            text('optimization', 'Optimization Points', '[Where to focus]'),
          ],
        },
      ],
    },
    {
      id: 'decisions',
      heading: 'Key Technical Decisions',
      synonyms: ['Technical Decisions', 'Key Architectural Decisions', 'Key Architectural Decisions & Rationales', 'Architectural Decisions', 'Architecture Decisions', 'Key Decisions', 'Design Decisions', 'Important Decisions', '主要な技術的決定', '技術的決定', '技術的な決定', 'Decisões Técnicas', 'Decisões Técnicas Principais', 'Decisões Arquiteturais', 'Ключевые технические решения', 'Технические решения', 'Decisiones Técnicas'],
      intro: 'Reference: See `docs/adr/` for detailed Architectural Decision Records',
      blocks: [
        {
          kind: 'cards', id: 'cards', cardLabel: 'Decision', body: 'fields', style: 'bullet', titlePlaceholder: '[Title]', stepPlaceholder: [],
          fields: [
            text('choice', 'Choice', '[What was decided]', ['Decision']),
            text('rationale', 'Rationale', '[Why]', ['Reason', 'Reasoning']),
            text('impact', 'Impact', '[Consequences]', ['Consequences']),
          ],
          instances: [{ titlePlaceholder: '[Title]' }, { titlePlaceholder: '[Title]' }],
        },
      ],
    },
    {
      id: 'errors',
      heading: 'Error Handling Patterns',
      synonyms: ['Error Handling', 'Error Handling Strategy', 'Error Handling Architecture', 'Error Management', 'Resilience Patterns', 'エラーハンドリング', 'Tratamento de Erros', 'Обработка ошибок'],
      blocks: [
        {
          kind: 'fields', id: 'global', heading: 'Global Error Strategy', style: 'bullet',
          fields: [
            text('logging', 'Logging', '[How errors are logged]'),
            text('feedback', 'User Feedback', '[How errors shown to users]'),
            text('recovery', 'Recovery', '[Automatic recovery mechanisms]'),
          ],
        },
        {
          kind: 'fields', id: 'circuitBreakers', heading: 'Circuit Breakers', style: 'bullet',
          fields: [
            text('protected', 'Protected Services', '[Which integrations]'),
            text('thresholds', 'Thresholds', '[When circuits open]'),
            text('fallbacks', 'Fallbacks', '[Degraded functionality]'),
          ],
        },
      ],
    },
    {
      id: 'observability',
      heading: 'Monitoring & Observability',
      synonyms: ['Monitoring and Observability', 'Monitoring', 'Observability', 'Logging', 'Logging Strategy', 'Logging and Monitoring', 'モニタリング', 'Monitoramento', 'Мониторинг'],
      blocks: [
        {
          kind: 'fields', id: 'metrics', heading: 'Key Metrics', style: 'bullet', synonyms: ['Metrics'],
          fields: [
            text('business', 'Business Metrics', '[What we track]'),
            text('technical', 'Technical Metrics', '[Performance indicators]'),
            text('slis', 'SLIs/SLOs', '[Service level indicators/objectives]', ['SLIs', 'SLOs']),
          ],
        },
        {
          kind: 'fields', id: 'logging', heading: 'Logging Strategy', style: 'bullet', synonyms: ['Logging'],
          fields: [
            text('levels', 'Log Levels', '[When to use each]'),
            text('structured', 'Structured Logging', '[Format/fields]'),
            text('retention', 'Retention', '[How long kept]'),
          ],
        },
      ],
    },
  ],
};
