import type { TemplateSpec } from './types.ts';
import { dataSections } from './dataSections.ts';
import { operationSections } from './operationSections.ts';
import { structureSections } from './structureSections.ts';

export const systemPatternsTemplate: TemplateSpec = {
  title: 'System Patterns',
  intro: '*Technical architecture, design patterns, and critical implementation decisions*',
  footer:
    "---\n*This document captures the technical architecture and implementation patterns. It's updated when architectural decisions are made or patterns change.*",
  headingRules: {
    prefixes: ['Key', 'Core', 'Main', 'Our', 'Overall', 'Important', 'Primary', '主要な', '主な'],
    suffixes: [
      'Overview',
      'Summary',
      'in Use',
      'and Practices',
      'Details',
      '概要',
      'の概要',
      'とプラクティス',
      '一覧',
      'について',
      'Geral',
      'Обзор',
    ],
    notCards: [
      'Relationships',
      'Relationship',
      'Dependencies',
      'Dependency',
      'Interactions',
      'Interaction',
      '関係',
      '依存',
    ],
  },
  sections: [...structureSections, ...dataSections, ...operationSections],
};
