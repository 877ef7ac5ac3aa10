import { blockIsStructured, cardIsFilled, parseMarkdown } from '@syspat/markdown';
import { createSection, type Block, type KnownSection, type SyspatDocument } from '@syspat/model';
import {
  systemPatternsTemplate,
  type BlockSpec,
  type DiagramBlockSpec,
  type SectionSpec,
} from '@syspat/template';

/**
 * "Structure this": what a notes region (a section's notes, or a whole extra section) would
 * become as fields, cards, rows, steps and diagrams, shown before it is done. Pure: the editor
 * applies `apply` to the live model as one patch (one undo step, collaborative).
 *
 * The notes are re-read by the markdown codec as if they stood under the section's heading, so
 * whatever the import recognizes is recognized here too; a fence left in notes goes into an
 * empty diagram slot. Nothing is dropped: what is not placed stays in notes, in order.
 */
export interface Suggestion {
  /** The offer, e.g. "Turn these 3 items into component cards". */
  readonly label: string;
  /** What will happen, one line each, before anything is done. */
  readonly preview: readonly string[];
  readonly apply: (model: SyspatDocument) => SyspatDocument;
}

const template = systemPatternsTemplate;
const filled = (text: string | undefined): boolean => text !== undefined && text.trim() !== '';
const joinNotes = (...parts: string[]): string => parts.filter((p) => p.trim() !== '').join('\n\n');

/** The first fenced code block in `markdown` and the markdown without it. */
const FENCE = /^(`{3,}|~{3,})([^\n`]*)\n([\s\S]*?)\n\1[ \t]*$/m;
function takeFence(markdown: string): { lang: string; code: string; rest: string } | null {
  const match = FENCE.exec(markdown);
  if (match === null) return null;
  const rest = (markdown.slice(0, match.index) + markdown.slice(match.index + match[0].length))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { lang: (match[2] ?? '').trim(), code: match[3] ?? '', rest };
}

/** Reads `body` as the content of section `spec`; null when part of it would leave the section. */
function readAs(spec: SectionSpec, body: string): KnownSection | null {
  const doc = parseMarkdown(`## ${spec.heading}\n\n${body}\n`);
  const section = doc.sections[spec.id];
  const elsewhere =
    doc.extraSections.length > 0 ||
    doc.footer !== null ||
    Object.entries(doc.sections).some(([id, s]) => id !== spec.id && s !== null);
  return section && !elsewhere ? section : null;
}

/** Merges a block read from notes into the block the section has, keeping both. */
function mergeBlock(spec: BlockSpec, current: Block | null | undefined, found: Block): Block {
  if (!current || current.kind !== found.kind) return found;
  switch (found.kind) {
    case 'cards': {
      const old = current.kind === 'cards' ? current.cards : [];
      // untouched template cards hold no words of anyone's: the found cards replace them
      const kept = old.filter((c) => cardIsFilled(c) || filled(c.notes));
      return { kind: 'cards', cards: [...kept, ...found.cards] };
    }
    case 'diagram': {
      if (current.kind !== 'diagram') return found;
      if (!filled(current.diagram?.code))
        return { ...found, notes: joinNotes(current.notes, found.notes) };
      const fence = found.diagram
        ? `\`\`\`${found.diagram.lang}\n${found.diagram.code}\n\`\`\``
        : '';
      return { ...current, notes: joinNotes(current.notes, found.notes, fence) };
    }
    case 'table': {
      if (current.kind !== 'table' || !current.table) return found;
      const rows = current.table.rows.filter((r) => Object.values(r.cells).some(filled));
      return {
        kind: 'table',
        notes: joinNotes(current.notes, found.notes),
        table: {
          extraColumns: [...current.table.extraColumns, ...(found.table?.extraColumns ?? [])],
          rows: [...rows, ...(found.table?.rows ?? [])],
        },
      };
    }
    case 'list': {
      if (current.kind !== 'list') return found;
      const items = (current.items ?? []).filter((i) => filled(i.text));
      return {
        kind: 'list',
        notes: joinNotes(current.notes, found.notes),
        items: [...items, ...(found.items ?? [])],
      };
    }
    case 'fields': {
      if (current.kind !== 'fields') return found;
      const fields: Record<string, string> = { ...current.fields };
      const clashes: string[] = [];
      for (const [id, value] of Object.entries(found.fields)) {
        if (!filled(fields[id])) fields[id] = value;
        else if (filled(value) && value !== fields[id]) {
          const label = spec.kind === 'fields' ? spec.fields.find((f) => f.id === id)?.label : id;
          clashes.push(`- **${label ?? id}**: ${value}`);
        }
      }
      return {
        kind: 'fields',
        fields,
        extraFields: [...current.extraFields, ...found.extraFields],
        notes: joinNotes(current.notes, found.notes, clashes.join('\n')),
      };
    }
  }
}

const fenceBecomes = (lang: string, slot: string): string =>
  `The ${lang === '' ? '' : `${lang} `}fence becomes the ${slot} diagram`;

function describeBlock(spec: BlockSpec, block: Block): string | null {
  if (!blockIsStructured(block)) return null;
  const name = spec.kind === 'cards' ? spec.cardLabel : spec.heading;
  switch (block.kind) {
    case 'cards': {
      const label = spec.kind === 'cards' ? spec.cardLabel.toLowerCase() : 'card';
      const titles = block.cards.map((c) => c.title.trim()).filter((t) => t !== '');
      const n = block.cards.length;
      return `${n} ${label} ${n === 1 ? 'card' : 'cards'}${titles.length > 0 ? `: ${titles.join(', ')}` : ''}`;
    }
    case 'diagram':
      return fenceBecomes(block.diagram?.lang ?? '', name);
    case 'table':
      return `${block.table?.rows.length ?? 0} rows in ${name}`;
    case 'list':
      return `${block.items?.length ?? 0} items in ${name}`;
    case 'fields': {
      const labels = spec.kind === 'fields' ? spec.fields : [];
      const named = Object.keys(block.fields)
        .filter((id) => filled(block.fields[id]))
        .map((id) => labels.find((f) => f.id === id)?.label ?? id);
      return `${name}: ${named.join(', ')}`;
    }
  }
}

interface Structured {
  readonly section: KnownSection;
  readonly preview: string[];
  readonly label: string;
}

/**
 * What `body` becomes inside `current` (the section as it is, or a fresh one): the blocks the
 * codec finds, a fence moved into an empty diagram slot, and what is left as notes.
 */
function structure(spec: SectionSpec, current: KnownSection, body: string): Structured | null {
  const found = readAs(spec, body);
  if (found === null) return null;
  const blocks: Record<string, Block | null> = { ...current.blocks };
  const preview: string[] = [];
  let cardsLine: string | null = null;
  let fenceLine: string | null = null;
  for (const blockSpec of spec.blocks) {
    const block = found.blocks[blockSpec.id];
    if (!block || !blockIsStructured(block)) continue;
    blocks[blockSpec.id] = mergeBlock(blockSpec, current.blocks[blockSpec.id], block);
    const line = describeBlock(blockSpec, block);
    if (line !== null) preview.push(line);
    if (block.kind === 'diagram' && blockSpec.kind === 'diagram')
      fenceLine = `Use this fence as the ${blockSpec.heading} diagram`;
    if (block.kind === 'cards' && blockSpec.kind === 'cards')
      cardsLine = `Turn ${block.cards.length === 1 ? 'this item' : `these ${block.cards.length} items`} into ${blockSpec.cardLabel.toLowerCase()} ${block.cards.length === 1 ? 'card' : 'cards'}`;
  }
  let notes = found.notes;
  const diagramSpec = spec.blocks.find(
    (b): b is DiagramBlockSpec => b.kind === 'diagram' && !blockIsStructured(blocks[b.id]),
  );
  const fence = diagramSpec ? takeFence(notes) : null;
  if (diagramSpec && fence && fence.code.trim() !== '') {
    const slot = blocks[diagramSpec.id];
    blocks[diagramSpec.id] = {
      kind: 'diagram',
      notes: slot?.kind === 'diagram' ? slot.notes : '',
      diagram: { lang: fence.lang, code: fence.code },
    };
    notes = fence.rest;
    fenceLine = `Use this fence as the ${diagramSpec.heading} diagram`;
    preview.push(fenceBecomes(fence.lang, diagramSpec.heading));
  }
  if (preview.length === 0) return null;
  preview.push(
    notes.trim() === ''
      ? 'Nothing is left in notes'
      : `${lines(notes)} stay${lines(notes) === '1 line' ? 's' : ''} in notes, in order`,
  );
  const label =
    preview.length === 2
      ? (cardsLine ?? fenceLine ?? 'Structure these notes')
      : 'Structure these notes';
  return {
    section: { notes, blocks, extraBlocks: [...current.extraBlocks, ...found.extraBlocks] },
    preview,
    label,
  };
}

const lines = (text: string): string => {
  const n = text.split('\n').filter((line) => line.trim() !== '').length;
  return `${n} ${n === 1 ? 'line' : 'lines'}`;
};

const withSection = (model: SyspatDocument, id: string, section: KnownSection): SyspatDocument => ({
  ...model,
  sections: { ...model.sections, [id]: section },
});

/** The offer for a section's own notes, or null when nothing in them is recognizable. */
export function suggestForNotes(model: SyspatDocument, sectionId: string): Suggestion | null {
  const spec = template.sections.find((s) => s.id === sectionId);
  const section = model.sections[sectionId];
  if (!spec || !section || !filled(section.notes)) return null;
  const result = structure(spec, { ...section, notes: '' }, section.notes);
  if (result === null) return null;
  return {
    label: result.label,
    preview: result.preview,
    apply: (live) => {
      const now = live.sections[sectionId];
      if (!now) return live;
      const again = structure(spec, { ...now, notes: '' }, now.notes);
      return again === null ? live : withSection(live, sectionId, again.section);
    },
  };
}

/** What can be moved into a template section: an extra section, or an unknown `###` subsection. */
export type MoveSource =
  | { readonly kind: 'extraSection'; readonly id: string }
  | { readonly kind: 'extraBlock'; readonly sectionId: string; readonly id: string };

/** The source's heading and body, and the document without it; null when it is gone. */
function takeSource(
  model: SyspatDocument,
  source: MoveSource,
): { heading: string; body: string; rest: SyspatDocument } | null {
  if (source.kind === 'extraSection') {
    const extra = model.extraSections.find((e) => e.id === source.id);
    if (!extra) return null;
    const extraSections = model.extraSections.filter((e) => e.id !== source.id);
    return { heading: extra.heading, body: extra.body, rest: { ...model, extraSections } };
  }
  const section = model.sections[source.sectionId];
  const block = section?.extraBlocks.find((b) => b.id === source.id);
  if (!section || !block) return null;
  const extraBlocks = section.extraBlocks.filter((b) => b.id !== source.id);
  return {
    heading: block.heading,
    body: block.body,
    rest: withSection(model, source.sectionId, { ...section, extraBlocks }),
  };
}

/**
 * Moving an extra section or an unknown subsection into template section `targetId`: its body
 * is read as that section's content. Its heading is kept as a bold line above what stays in
 * notes (it is dropped only when nothing stays, since then every word of it is placed).
 */
export function suggestMove(
  model: SyspatDocument,
  source: MoveSource,
  targetId: string,
): Suggestion | null {
  const spec = template.sections.find((s) => s.id === targetId);
  if (!spec) return null;
  const plan = (live: SyspatDocument) => {
    const taken = takeSource(live, source);
    if (taken === null) return null;
    const current = taken.rest.sections[targetId] ?? createSection(spec);
    const found = structure(spec, { ...current, notes: '' }, taken.body);
    const heading = taken.heading.trim();
    const left = found === null ? taken.body : found.section.notes;
    const movedNotes = filled(left) ? joinNotes(heading === '' ? '' : `**${heading}**`, left) : '';
    const section: KnownSection = {
      ...(found?.section ?? current),
      notes: joinNotes(current.notes, movedNotes),
    };
    return {
      doc: withSection(taken.rest, targetId, section),
      preview: [
        ...(found?.preview.slice(0, -1) ?? []),
        filled(left)
          ? `${lines(left)} go${lines(left) === '1 line' ? 'es' : ''} to the notes of ${spec.heading}, under “${heading}”`
          : `Nothing is left in notes; the heading “${heading}” is no longer needed`,
      ],
    };
  };
  const first = plan(model);
  if (first === null) return null;
  return {
    label: `Move into ${spec.heading}`,
    preview: first.preview,
    apply: (live) => plan(live)?.doc ?? live,
  };
}
