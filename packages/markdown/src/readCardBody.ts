import type { List, ListItem, RootContent } from 'mdast';
import type { CardsBlockSpec, FieldSpec } from '@syspat/template';
import { findField } from '@syspat/template';
import type { ExtraField, IdFactory } from '@syspat/model';
import { appendToValue, dedent, isMovable, nodeText, toFieldValue } from './fieldValue.ts';
import { readLabelledItem, readLeadingLabel } from './readItems.ts';
import type { SourceText } from './sourceText.ts';

export interface CardBodyContext {
  readonly source: SourceText;
  readonly ids: IdFactory;
}

interface Entry {
  readonly label: string;
  readonly value: string;
}

/** A run of a card body: labelled values, or content without a label (kept as its text). */
type Unit =
  | { readonly kind: 'labelled'; readonly entries: readonly Entry[]; readonly text: string }
  | {
      readonly kind: 'plain';
      readonly text: string;
      readonly movable: boolean;
      readonly paragraph: boolean;
      readonly bulletList: boolean;
    };

/** A bullet list whose every item is `**Label**: value`. */
function labelledList(list: List, source: SourceText): Entry[] | undefined {
  if (list.ordered) return undefined;
  const entries: Entry[] = [];
  for (const item of list.children) {
    const entry = readLabelledItem(item, source);
    if (!entry) return undefined;
    entries.push(entry);
  }
  return entries;
}

/**
 * A bullet list of labelled and plain items, cut into runs: each run of labelled items a
 * labelled unit, each run of other items a plain one. `undefined` when no item is labelled.
 */
function splitList(list: List, source: SourceText, column: number): Unit[] | undefined {
  const runs: { entries: Entry[]; items: ListItem[] }[] = [];
  for (const item of list.children) {
    const entry = readLabelledItem(item, source);
    const last = runs[runs.length - 1];
    if (last && (entry !== undefined) === last.entries.length > 0) {
      last.items.push(item);
      if (entry) last.entries.push(entry);
    } else {
      runs.push({ entries: entry ? [entry] : [], items: [item] });
    }
  }
  if (!runs.some((run) => run.entries.length > 0)) return undefined;
  const units: Unit[] = [];
  for (const run of runs) {
    const text = nodeText(run.items, source, column);
    if (text === undefined) return undefined;
    units.push(
      run.entries.length > 0
        ? { kind: 'labelled', entries: run.entries, text }
        : { kind: 'plain', text, movable: true, paragraph: false, bulletList: true },
    );
  }
  return units;
}

/**
 * Splits block nodes (at `column`) into units: bullet lists of labelled items, paragraphs that
 * open with `**Label**:` (with the list or fence that follows a bare label), and the rest.
 */
export function readUnits(
  nodes: readonly RootContent[],
  source: SourceText,
  column: number,
): Unit[] | undefined {
  const units: Unit[] = [];
  for (let i = 0; i < nodes.length; i += 1) {
    const node = nodes[i] as RootContent;
    const text = nodeText([node], source, column);
    if (text === undefined) return undefined;
    if (node.type === 'list') {
      const entries = labelledList(node, source);
      if (entries) {
        units.push({ kind: 'labelled', entries, text });
        continue;
      }
      const runs = node.ordered ? undefined : splitList(node, source, column);
      if (runs) {
        units.push(...runs);
        continue;
      }
    }
    if (node.type === 'paragraph') {
      const head = readLeadingLabel(node, source, source.endOf(node));
      const next = nodes[i + 1];
      if (head) {
        const inline = source.text.slice(head.rest, source.endOf(node));
        const [first = '', ...more] = inline.split('\n');
        const rest = dedent(more.join('\n'), column);
        if (inline.trim() !== '' && rest !== undefined) {
          const value = toFieldValue([more.length > 0 ? `${first}\n${rest}` : first], true);
          if (value !== undefined) {
            units.push({ kind: 'labelled', entries: [{ label: head.label, value }], text });
            continue;
          }
        } else if (inline.trim() === '' && next && next.type !== 'paragraph' && isMovable(next)) {
          const nextText = nodeText([next], source, column);
          const value = nextText === undefined ? undefined : toFieldValue([nextText], false);
          if (value !== undefined && nextText !== undefined) {
            units.push({
              kind: 'labelled',
              entries: [{ label: head.label, value }],
              text: `${text}\n${nextText}`,
            });
            i += 1;
            continue;
          }
        }
      }
    }
    units.push({
      kind: 'plain',
      text,
      movable: isMovable(node),
      paragraph: node.type === 'paragraph',
      bulletList: node.type === 'list' && !node.ordered,
    });
  }
  return units;
}

export interface CardFields {
  readonly fields: Record<string, string>;
  readonly extraFields: ExtraField[];
  /** Content no field took, in order. */
  readonly notes: string;
}

function isPlaceholder(value: string, placeholder: string): boolean {
  return value !== '' && value === placeholder;
}

/**
 * Places units in a card: labels the card kind knows go to their fields (by label synonym),
 * other labels become extra fields, and unlabelled content fills the kind's default field as
 * written. When no label is known, the labelled runs are unlabelled content too. What cannot
 * move into a field stays in notes, in order.
 */
export function placeUnits(
  units: readonly Unit[],
  spec: CardsBlockSpec,
  context: CardBodyContext,
  lead?: { readonly field: string; readonly value: string },
): CardFields {
  const fields: Record<string, string> = {};
  const extraFields: ExtraField[] = [];
  const known = (label: string): FieldSpec | undefined => findField(spec.fields, label);
  const anyKnown = units.some(
    (u) => u.kind === 'labelled' && u.entries.some((e) => known(e.label)),
  );
  if (lead) fields[lead.field] = lead.value;
  const plain: Extract<Unit, { kind: 'plain' }>[] = [];
  for (const unit of units) {
    if (unit.kind === 'plain' || !anyKnown) {
      plain.push(
        unit.kind === 'plain'
          ? unit
          : { kind: 'plain', text: unit.text, movable: true, paragraph: false, bulletList: true },
      );
      continue;
    }
    for (const entry of unit.entries) {
      const field = known(entry.label);
      if (field && !(field.id in fields))
        fields[field.id] = isPlaceholder(entry.value, field.placeholder) ? '' : entry.value;
      else extraFields.push({ id: context.ids(), label: entry.label, value: entry.value });
    }
  }
  if (plain.length === 0) return { fields, extraFields, notes: '' };
  const moved =
    plain.every((u) => u.movable) &&
    toFieldValue(
      plain.map((u) => u.text),
      plain[0]?.paragraph ?? false,
    );
  const target = spec.defaultField;
  if (moved && target && spec.fields.some((f) => f.id === target)) {
    if (!(target in fields)) {
      fields[target] = moved;
      return { fields, extraFields, notes: '' };
    }
  }
  if (moved && lead) {
    // The item's own text already fills a field: what follows it reads on from there.
    fields[lead.field] = appendToValue(fields[lead.field] ?? lead.value, moved);
    return { fields, extraFields, notes: '' };
  }
  return { fields, extraFields, notes: plain.map((u) => u.text).join('\n\n') };
}

/** Whether notes printed right before the field list would run into it as one list. */
export function joinsFieldList(units: readonly Unit[], notes: string): boolean {
  const last = units.filter((u) => u.kind === 'plain').pop();
  return notes !== '' && last?.kind === 'plain' && last.bulletList;
}

/**
 * Whether notes printed before the field list would hold text written after it: moved ahead,
 * that text could read differently (a fence it left open would now end the document).
 */
export function notesFollowFields(units: readonly Unit[], notes: string): boolean {
  const firstLabelled = units.findIndex((u) => u.kind === 'labelled');
  return (
    notes !== '' &&
    firstLabelled !== -1 &&
    units.slice(firstLabelled).some((u) => u.kind === 'plain')
  );
}
