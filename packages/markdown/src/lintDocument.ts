import type { CardsBlockSpec, SectionSpec, TemplateSpec } from '@syspat/template';
import { cardsBlockOf, systemPatternsTemplate } from '@syspat/template';
import type { Block, KnownSection, SyspatDocument } from '@syspat/model';
import { sectionState } from './sectionState.ts';

export type LintSeverity = 'error' | 'warning';

export interface LintWarning {
  /** Stable id of the rule, for filtering and docs. */
  readonly rule: LintRuleId;
  readonly severity: LintSeverity;
  /** Template section id, or null for document-level findings. */
  readonly section: string | null;
  /** The section's heading as printed, for people. */
  readonly sectionHeading: string | null;
  /** Where in the section: `Component 2 › Purpose`, `Storage Strategy › row 1 › Retention`. */
  readonly where: string;
  readonly message: string;
}

export const lintRules = {
  'placeholder-left': {
    severity: 'warning',
    summary: 'A field still shows the template placeholder.',
  },
  'empty-section': { severity: 'warning', summary: 'A section has a heading and nothing else.' },
  'unfilled-section': {
    severity: 'warning',
    summary: 'A section shows only the template placeholders (one warning for all of them).',
  },
  'unfilled-template': {
    severity: 'warning',
    summary: 'The whole document is the unfilled template (one warning instead of one per field).',
  },
  'notes-only-section': {
    severity: 'warning',
    summary: 'A section has text, but all of it is in notes: no field, card, row or diagram.',
  },
  'empty-table-cell': {
    severity: 'warning',
    summary: 'A table row has some cells filled and others empty.',
  },
  'unknown-component': {
    severity: 'warning',
    summary: 'An integration or path names a component that has no card.',
  },
  'decision-without-rationale': { severity: 'error', summary: 'A decision card has no rationale.' },
  'decision-without-impact': { severity: 'warning', summary: 'A decision card has no impact.' },
} as const satisfies Record<string, { severity: LintSeverity; summary: string }>;

export type LintRuleId = keyof typeof lintRules;

interface Finding {
  rule: LintRuleId;
  where: string;
  message: string;
}

const isBlank = (value: string | undefined): boolean => value === undefined || value.trim() === '';

function placeholderFindings(section: KnownSection, spec: SectionSpec): Finding[] {
  const findings: Finding[] = [];
  const left = (where: string) =>
    findings.push({
      rule: 'placeholder-left',
      where,
      message: `${where} still shows the template placeholder; fill it in or remove it.`,
    });
  for (const blockSpec of spec.blocks) {
    const block = section.blocks[blockSpec.id];
    if (!block) continue;
    if (block.kind === 'cards' && blockSpec.kind === 'cards') {
      block.cards.forEach((card, i) => {
        const name = `${blockSpec.cardLabel} ${i + 1}`;
        if (isBlank(card.title)) left(`${name} › title`);
        for (const field of blockSpec.fields)
          if (card.fields[field.id] !== undefined && isBlank(card.fields[field.id]))
            left(`${name} › ${field.label}`);
        if (card.steps && card.steps.length === 0) left(`${name} › steps`);
      });
    } else if (block.kind === 'fields' && blockSpec.kind === 'fields') {
      for (const field of blockSpec.fields)
        if (block.fields[field.id] !== undefined && isBlank(block.fields[field.id]))
          left(`${blockSpec.heading} › ${field.label}`);
    } else if (block.kind === 'diagram' && block.diagram && block.diagram.code === '') {
      left(blockSpec.kind === 'diagram' ? blockSpec.heading : blockSpec.id);
    } else if (block.kind === 'list' && block.items && block.items.length === 0) {
      left(blockSpec.kind === 'list' ? blockSpec.heading : blockSpec.id);
    } else if (block.kind === 'table' && blockSpec.kind === 'table' && block.table) {
      block.table.rows.forEach((row, r) => {
        if (blockSpec.columns.every((c) => isBlank(row.cells[c.id])))
          left(`${blockSpec.heading} › row ${r + 1}`);
      });
    }
  }
  return findings;
}

function blockIsEmpty(block: Block | null): boolean {
  if (!block) return true;
  switch (block.kind) {
    case 'cards':
      return block.cards.length === 0;
    case 'diagram':
      return block.notes.trim() === '' && !block.diagram;
    case 'fields':
      return (
        block.notes.trim() === '' &&
        Object.keys(block.fields).length === 0 &&
        block.extraFields.length === 0
      );
    case 'list':
      return block.notes.trim() === '' && !block.items;
    case 'table':
      return block.notes.trim() === '' && !block.table;
  }
}

function emptyTableCells(section: KnownSection, spec: SectionSpec): Finding[] {
  const findings: Finding[] = [];
  for (const blockSpec of spec.blocks) {
    const block = section.blocks[blockSpec.id];
    if (blockSpec.kind !== 'table' || block?.kind !== 'table' || !block.table) continue;
    block.table.rows.forEach((row, r) => {
      const empty = blockSpec.columns.filter((c) => isBlank(row.cells[c.id]));
      if (empty.length > 0 && empty.length < blockSpec.columns.length) {
        findings.push({
          rule: 'empty-table-cell',
          where: `${blockSpec.heading} › row ${r + 1}`,
          message: `Row ${r + 1} of ${blockSpec.heading} has no ${empty.map((c) => c.label).join(', ')}.`,
        });
      }
    });
  }
  return findings;
}

function decisionFindings(section: KnownSection, cards: CardsBlockSpec): Finding[] {
  const block = section.blocks[cards.id];
  if (block?.kind !== 'cards') return [];
  const findings: Finding[] = [];
  block.cards.forEach((card, i) => {
    // A card nobody has started is reported once, as placeholders, not as a bad decision.
    const started =
      !isBlank(card.title) ||
      Object.values(card.fields).some((v) => !isBlank(v)) ||
      card.notes.trim() !== '';
    if (!started) return;
    const name = `${cards.cardLabel} ${i + 1}${card.title ? ` (${card.title})` : ''}`;
    if (isBlank(card.fields['rationale'])) {
      findings.push({
        rule: 'decision-without-rationale',
        where: name,
        message: `${name} has no Rationale: say why it was chosen.`,
      });
    }
    if (isBlank(card.fields['impact'])) {
      findings.push({
        rule: 'decision-without-impact',
        where: name,
        message: `${name} has no Impact: say what it costs and what it enables.`,
      });
    }
  });
  return findings;
}

/** Names in `backticks` or **bold** that end like a component (Service, Server, API, ...). */
const componentLike = /(?:`([^`\n]{2,60})`|\*\*([^*\n]{2,60})\*\*)/g;
const componentSuffix =
  /(service|server|api|gateway|worker|store|database|db|queue|client|manager|controller|module|engine|broker|cache)$/i;
const squash = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

function componentNames(doc: SyspatDocument, template: TemplateSpec): Set<string> {
  const names = new Set<string>();
  const spec = template.sections.find((s) => s.id === 'components');
  const block = spec ? doc.sections[spec.id]?.blocks[cardsBlockOf(spec)?.id ?? ''] : undefined;
  if (block?.kind === 'cards')
    for (const card of block.cards) if (card.title.trim() !== '') names.add(squash(card.title));
  return names;
}

function unknownComponents(doc: SyspatDocument, template: TemplateSpec): Finding[] {
  const known = componentNames(doc, template);
  if (known.size === 0) return [];
  const findings: Finding[] = [];
  const check = (text: string, where: string) => {
    for (const match of text.matchAll(componentLike)) {
      const name = (match[1] ?? match[2] ?? '').trim();
      if (!componentSuffix.test(name.replace(/[^\p{L}\p{N}]+$/u, '')) || known.has(squash(name)))
        continue;
      findings.push({
        rule: 'unknown-component',
        where,
        message: `${where} names "${name}", but no component card has that name.`,
      });
    }
  };
  const paths = doc.sections['paths']?.blocks['cards'];
  if (paths?.kind === 'cards') {
    paths.cards.forEach((card, i) =>
      card.steps?.forEach((step, s) => check(step.text, `Path ${i + 1} › step ${s + 1}`)),
    );
  }
  const integration = doc.sections['integration'];
  const external = integration?.blocks['external'];
  if (external?.kind === 'table' && external.table) {
    external.table.rows.forEach((row, r) =>
      check(row.cells['purpose'] ?? '', `External Integrations › row ${r + 1}`),
    );
  }
  return findings;
}

/**
 * Completeness warnings over the model: what a reviewer would flag before the document is
 * committed. Each finding carries a stable rule id and its severity.
 */
export function lintDocument(
  doc: SyspatDocument,
  template: TemplateSpec = systemPatternsTemplate,
): LintWarning[] {
  const warnings: LintWarning[] = [];
  const add = (spec: SectionSpec | null, finding: Finding) =>
    warnings.push({
      ...finding,
      severity: lintRules[finding.rule].severity,
      section: spec?.id ?? null,
      sectionHeading: spec?.heading ?? null,
    });
  const unfilled: { spec: SectionSpec; placeholders: number }[] = [];
  for (const spec of template.sections) {
    const section = doc.sections[spec.id];
    if (!section) continue;
    const state = sectionState(section, spec);
    const placeholders = placeholderFindings(section, spec);
    if (state === 'empty' && placeholders.length > 0) {
      // One line per untouched section: 78 equal warnings on a fresh document say nothing.
      unfilled.push({ spec, placeholders: placeholders.length });
      continue;
    }
    if (
      section.notes.trim() === '' &&
      section.extraBlocks.length === 0 &&
      spec.blocks.every((b) => blockIsEmpty(section.blocks[b.id] ?? null))
    ) {
      add(spec, {
        rule: 'empty-section',
        where: spec.heading,
        message: `${spec.heading} has no content: fill it in or delete the section.`,
      });
    }
    if (state === 'notes-only') {
      add(spec, {
        rule: 'notes-only-section',
        where: spec.heading,
        message: `${spec.heading} is notes only: nothing in it is a field, card, row or diagram yet. Use "Structure this" or fill in its fields.`,
      });
    }
    for (const finding of placeholders) add(spec, finding);
    for (const finding of emptyTableCells(section, spec)) add(spec, finding);
    const cards = cardsBlockOf(spec);
    if (spec.id === 'decisions' && cards)
      for (const finding of decisionFindings(section, cards)) add(spec, finding);
  }
  const present = template.sections.filter((s) => doc.sections[s.id]).length;
  if (unfilled.length > 0 && unfilled.length === present && doc.extraSections.length === 0) {
    const total = unfilled.reduce((n, u) => n + u.placeholders, 0);
    add(null, {
      rule: 'unfilled-template',
      where: 'Document',
      message: `This is the unfilled template: ${total} placeholders in ${present} sections. Start with ${unfilled[0]?.spec.heading ?? 'the first section'}, or import a markdown file.`,
    });
  } else {
    for (const { spec, placeholders } of unfilled) {
      add(spec, {
        rule: 'unfilled-section',
        where: spec.heading,
        message: `${spec.heading} still shows the template's ${placeholders} ${placeholders === 1 ? 'placeholder' : 'placeholders'}: fill it in or delete the section.`,
      });
    }
  }
  for (const finding of unknownComponents(doc, template)) {
    const spec =
      template.sections.find((s) =>
        finding.where.startsWith('Path') ? s.id === 'paths' : s.id === 'integration',
      ) ?? null;
    add(spec, finding);
  }
  return warnings;
}
