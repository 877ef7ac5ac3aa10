/**
 * What a careful reader of each file in ../shared/corpus expects to see as structure after an
 * import: the names of its components, decisions, patterns, critical paths (with how many
 * steps), storage and integration table rows, and its diagrams with the slot each belongs in.
 * Our own short data (names only), written by reading the files, not by running the parser.
 *
 * How we labelled:
 * - components / decisions / patterns: `###` cards or `**Name**: text` list items under a
 *   section or subsection that means that card kind ("Key Components", "Key Technical
 *   Decisions", "Design Patterns in Use", ...). Principles, file lists and notes are not cards.
 * - paths: numbered lists under a flow, path, workflow or "how X works" heading, one path per
 *   list (or per numbered item whose sub-items are the steps).
 * - diagrams: the first fence under an architecture-overview heading is `highLevel`, the first
 *   under a data-flow heading `flow`, the first directly under "Component Relationships"
 *   `internal`; every other mermaid fence is `other`. Other ASCII fences and directory trees
 *   are code, not diagrams we ask for.
 */

export type DiagramSlot = 'highLevel' | 'flow' | 'internal' | 'other';

export interface DiagramLabel {
  readonly slot: DiagramSlot;
  /** The fence's info string: `mermaid`, `text` or `` (plain). */
  readonly lang: string;
}

export interface PathLabel {
  readonly title: string;
  readonly steps: number;
}

export interface CorpusLabel {
  readonly file: string;
  readonly components: readonly string[];
  readonly decisions: readonly string[];
  readonly patterns: readonly string[];
  readonly paths: readonly PathLabel[];
  readonly storageRows: readonly string[];
  readonly integrationRows: readonly string[];
  readonly diagrams: readonly DiagramLabel[];
}

const label = (file: string, expected: Partial<Omit<CorpusLabel, 'file'>>): CorpusLabel => ({
  file,
  components: [],
  decisions: [],
  patterns: [],
  paths: [],
  storageRows: [],
  integrationRows: [],
  diagrams: [],
  ...expected,
});

const mermaid = (slot: DiagramSlot): DiagramLabel => ({ slot, lang: 'mermaid' });
const plain = (slot: DiagramSlot): DiagramLabel => ({ slot, lang: '' });
const path = (title: string, steps: number): PathLabel => ({ title, steps });

export const corpusLabels: readonly CorpusLabel[] = [
  label('001-0x4007--travel-stipend.md', {
    components: ['Core Calculator'],
    patterns: [
      'Functional Core, Imperative Shell',
      'Caching Strategy',
      'Data Transformation Pipeline',
      'Fallback Strategy',
      'Configuration Constants',
      'Web Scraping Strategy',
    ],
    diagrams: [
      mermaid('highLevel'),
      mermaid('other'),
      mermaid('other'),
      mermaid('other'),
      mermaid('flow'),
    ],
  }),
  label('002-0xmichalis--nftbk.md', {
    patterns: [
      'Chain Abstraction',
      'Content Processing Pipeline',
      'URL Resolution and Normalization',
      'Error Handling and Retry Logic',
      'Extension Mechanism',
    ],
    decisions: [
      'Async Runtime',
      'Chain-Specific Libraries',
      'Content Type Detection',
      'Configuration Format',
      'Structured Logging',
    ],
    diagrams: [mermaid('highLevel'), mermaid('flow')],
  }),
  label('004-AIgen-Solutions-s-r-l--resonance.md', {
    patterns: [
      'Singleton Pattern',
      'Factory Pattern',
      'Repository Pattern',
      'Decorator Pattern',
      'Strategy Pattern',
    ],
  }),
  label('005-ACicmansky--LegalEase.md', {
    patterns: [
      'Repository Pattern',
      'Service Layer Pattern',
      'Component-Based Architecture',
      'API-First Design',
      'Agent-Based Architecture',
    ],
    components: [
      'Document Processing Pipeline',
      'Chat System',
      'Authentication Flow',
      'Document Processing Agent',
      'Conversational Agent',
    ],
    paths: [
      path('Document Upload Flow', 5),
      path('Chat Interaction Flow', 4),
      path('Document Generation Flow', 4),
    ],
    diagrams: [plain('highLevel')],
  }),
  label('007-daveharmswebdev--lladro-api.md', {
    decisions: ['Using Markdown for easy readability and editing'],
    patterns: ['Documentation as Code'],
  }),
  label('008-Claw256--mcp-webresearch.md', {
    patterns: [
      'Browser Pool Pattern',
      'Circuit Breaker Pattern',
      'Retry Pattern',
      'Session Management Pattern',
    ],
    decisions: ['Timeout Management', 'Error Handling', 'Resource Management', 'Consent Handling'],
  }),
  label('010-leshchenko1979--fast-mcp-telegram.md', {
    decisions: ['FastMCP Integration', 'Configuration System', 'Error Handling'],
    paths: [
      path('Authentication Flow', 5),
      path('Tool Execution Flow', 5),
      path('Connection Stability Flow', 5),
    ],
    patterns: ['Singleton/Registry', 'Decorator', 'Factory', 'Strategy', 'Circuit Breaker'],
    diagrams: [mermaid('internal')],
  }),
  label('011-replicatedhq--chartsmith.md', {
    components: ['Frontend', 'Backend', 'Database', 'Realtime', 'Communication'],
    patterns: [
      'Job Queue Pattern',
      'Streaming Pattern',
      'State Management Pattern',
      'Server Action Pattern',
      'Tool Calling Pattern',
      'Intent Classification Pattern',
      'File Context Pattern',
      'Plan-Execute Pattern',
      'Render Pattern',
      'Message Persistence Pattern',
    ],
    diagrams: [plain('flow')],
  }),
  label('013-geeksville--starbash.md', {
    components: ['Repo/Config layer', 'Data layer', 'Processing pipeline', 'Tool layer'],
    decisions: [
      'CLI-first, Typer + Rich',
      'Recipes as data (TOML), not code',
      'Context expansion',
      'Stages multiplex per-session or per-input',
      'Doit handles dependency/rebuild logic',
      'ProcessedTarget',
      'Masters are just another processing flow',
    ],
    patterns: [
      'Context manager lifecycle',
      'Lazy singleton-ish state',
      'Context dictionary shared across stages',
      'Backpointers on TOML items',
      'Exception taxonomy',
    ],
    paths: [
      path('Auto-process path', 0),
      path('Stage exclusion flow', 0),
      path('Master selection/scoring', 0),
      path('Per-frame FITS registration reporting', 0),
    ],
  }),
  label('014-pequet--project-seed.md', {
    decisions: [
      'Implement the memory-bank as a core, nine-file system',
      'Use a master-rules directory to define AI agent behavior',
      'Structure the repository using an MVC-like pattern',
      'Adopt a "transparent documentation" approach to all documentation and context',
    ],
    patterns: [
      'Core-Plugin Architecture',
      'Model-View-Controller (MVC)',
      'Template Method Pattern',
      'Strategy Pattern',
    ],
    integrationRows: ['AI Provider APIs', 'GitHub', 'Cursor IDE'],
  }),
  label('016-4GeeksAcademy--ai-eng-finantial-dashboard-context-project.md', {
    patterns: [
      'Monorepo Split by Service Boundary',
      'API-First Backend with Typed Contracts',
      'Deterministic Synthetic Data Generation',
      'Thin Frontend Orchestration + Pure Computation Utilities',
      'Componentized Dashboard Presentation',
      'Current Structural Constraint: Backend Module Monolith',
      'Testing Pattern: Backend Endpoint Coverage + Frontend Utility Coverage',
    ],
  }),
  label('017-4GeeksAcademy--m333to-financedb.md', {
    patterns: [
      'Pure Helper Functions',
      'Deterministic Mock Data',
      'Query Parameters',
      'No Database / In-Memory',
      'Pure Computation Functions',
      'State at the Top',
      'Loading Skeleton',
      'Error Boundary',
      'Named `exort function` Components',
      '`@/` Path Alias',
      'Route Handler Pattern',
      'CORS Middleware Pattern',
      'Docker Composition Pattern',
    ],
    diagrams: [plain('highLevel'), plain('flow')],
  }),
  label('019-HobbyOSs--opennask.md', {
    decisions: ['CMakeLists.txt の自動生成', '詳細なビルドルールの分離と条件分岐'],
    patterns: [
      'CMake の階層構造',
      'シェルスクリプトによる自動生成',
      '責務分離',
      '条件付きビルドルール生成',
    ],
  }),
  label('020-MafiaHub--Framework.md', {
    components: [
      'Networking Subsystem',
      'ECS Subsystem',
      'Scripting Subsystem',
      'GUI Subsystem',
      'Logging Subsystem',
    ],
    patterns: [
      'Service Locator Pattern',
      'Entity-Component-System (ECS)',
      'Observer Pattern',
      'Factory Pattern',
      'Singleton Pattern',
    ],
    paths: [path('Data Flow', 7)],
    diagrams: [plain('highLevel')],
  }),
  label('022-ranaroussi--muxi.md', {
    components: [
      'Orchestrator',
      'Agent',
      'Memory System',
      'MCP Handler',
      'Knowledge Base',
      'Communication Interfaces',
    ],
    decisions: [
      'Modular Package Structure',
      'Hybrid Communication Protocol',
      'Configuration-Driven Development',
      'LLM Provider Abstraction',
      'MCP Integration Strategy',
      'Memory Architecture',
    ],
    patterns: [
      'Factory Pattern',
      'Strategy Pattern',
      'Observer Pattern',
      'Facade Pattern',
      'Repository Pattern',
      'Command Pattern',
    ],
    paths: [path('Data Flow', 8)],
    diagrams: [plain('highLevel')],
  }),
  label('023-cycle-five--cline-template.md', {
    patterns: ['Repository Pattern'],
    paths: [path('Data Flow', 3)],
    diagrams: [{ slot: 'highLevel', lang: 'txt' }],
  }),
  label('025-lsportsltd--trade360-java-sdk.md', {
    decisions: [
      'Reactive Programming Model',
      'Factory Pattern for Client Creation',
      'Handler Registry Pattern',
      'Configuration-Driven Design',
      'Strong Typing with Enums',
    ],
    patterns: [
      'Factory Pattern',
      'Template Method Pattern',
      'Registry Pattern',
      'Builder Pattern',
      'Strategy Pattern',
      'Dependency Injection Pattern',
    ],
    diagrams: [plain('highLevel')],
  }),
  label('026-arbgjr--smart-alarm.md', {
    decisions: [
      '.NET 8.0 como padrão',
      'Serverless (OCI Functions) para backend',
      'Validação com FluentValidation',
      'Logging estruturado (Serilog), tracing (Application Insights)',
      'Testes',
    ],
    patterns: [
      'DTOs para entrada/saída',
      'Repositórios para persistência',
      'Handlers para comandos/queries (CQRS)',
      'Externalização de integrações via HttpClientFactory e Polly',
    ],
  }),
  label('028-ThreatFlux--cryptum-go.md', {
    components: ['Encryption Package', 'CLI Package', 'Logger Package'],
    patterns: ['Singleton Pattern', 'Factory Methods', 'Builder Pattern', 'Interface-based Design'],
    decisions: ['Go Standard Library Usage', 'Error Handling', 'Testing Strategy'],
  }),
  label('029-Keiji-Miyake--create-project.md', {
    patterns: [
      'レイヤードアーキテクチャ',
      'モジュラー設計',
      'リポジトリパターン',
      'ファクトリーパターン',
      'オブザーバーパターン',
    ],
  }),
  label('031-Gregspillane--storm-1.md', {
    patterns: [
      'Hybrid Search Pattern',
      'Rate Limiting Pattern',
      'Fallback Pattern',
      'Information Conversion Pattern',
    ],
  }),
  label('032-1amageek--Buffett.md', {
    components: ['API Module', 'UI Module'],
    patterns: [
      'Use of pure functions and structs for technical indicator calculations',
      'Dependency injection for API clients to facilitate testing',
      'Observer pattern via Combine for reactive UI updates',
    ],
  }),
  label('034-diaz3618--memory-bank-mcp.md', {
    patterns: [
      'MCP Server Pattern',
      'FileSystemInterface Abstraction',
      'Atomic Writes',
      'ETag Concurrency Control',
      'Knowledge Graph Architecture',
      'Tool Organisation (7 Groups)',
      'Mode System',
      'Logging Pattern',
      'Build & CI/CD Pattern',
      'Memory Bank File Structure',
      'Code Quality Patterns',
      'Testing Patterns',
    ],
    diagrams: [plain('highLevel')],
  }),
  label('035-CraightonH--clinerules-bank.md', {
    components: ['Rules Repository', 'Memory Bank', 'Testing Infrastructure'],
    decisions: [
      'Markdown format for all rule definitions',
      'Git submodule integration pattern',
      'Distributed prompt system for task management',
      'Memory bank system for context preservation',
    ],
    diagrams: [mermaid('internal')],
  }),
  // Only a section of automation templates (in Russian): nothing a reader would call a card.
  label('037-AiStockSearch--MemoryBank.md', {}),
  // A boilerplate: its decisions, patterns and systems are examples for imaginary projects
  // ("Example: Project A") under "[Enter ... here]" placeholders, not this project's own.
  label('038-pequet--cursor-project-boilerplate.md', {}),
  label('040-Gachaupatrick--gachau_learning.md', {
    patterns: [
      'Module-based Learning',
      'Data Analysis Workflow',
      'Code Organization',
      'Best Practices',
    ],
  }),
];
