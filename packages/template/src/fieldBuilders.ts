import type { ColumnSpec, FieldSpec } from './types.ts';

/** Builders that keep a field on one line: adding a field is a one-line change below. */
export const text = (
  id: string,
  label: string,
  placeholder: string,
  synonyms?: string[],
): FieldSpec =>
  synonyms
    ? { id, label, placeholder, kind: 'text', synonyms }
    : { id, label, placeholder, kind: 'text' };
export const col = (
  id: string,
  label: string,
  placeholder: string,
  synonyms?: string[],
): ColumnSpec =>
  synonyms
    ? { id, label, placeholder, kind: 'text', synonyms }
    : { id, label, placeholder, kind: 'text' };
export const yesNoCol = (
  id: string,
  label: string,
  placeholder: string,
  synonyms: string[],
): ColumnSpec => ({ id, label, placeholder, kind: 'yesno', synonyms });

/**
 * The System Patterns template (`shared/template/system-patterns.md`) as data. The printer
 * reproduces the template byte for byte from this description (see the template's tests).
 */
