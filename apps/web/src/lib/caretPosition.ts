import * as Y from 'yjs';

/**
 * A person's selection in a field as published in awareness: Yjs relative positions, so it
 * stays on the same character while anyone types. Everything read from another client goes
 * through `parseCaret` first: awareness states are untrusted input.
 */

/** A Yjs item id as `Y.relativePositionToJSON` writes it. */
export interface IdJSON {
  readonly client: number;
  readonly clock: number;
}

/**
 * `Y.relativePositionToJSON` of a position inside a nested `Y.Text`: `item` is the character the
 * position sticks to, `type` the text itself when there is no such character. (Root types are
 * named by `tname` instead; no field is a root type, and `tname` makes Yjs create a root type
 * of that name on resolve, so it is never accepted.)
 */
export interface RelativePositionJSON {
  readonly type?: IdJSON;
  readonly item?: IdJSON;
  readonly assoc?: number;
}

/** The published selection: the field's presence key, where it starts (anchor) and the caret (head). */
export interface CaretJSON {
  readonly field: string;
  readonly anchor: RelativePositionJSON;
  readonly head: RelativePositionJSON;
}

export interface ResolvedCaret {
  readonly anchor: number;
  readonly head: number;
}

export const MAX_FIELD_KEY = 400;
/** Largest caret accepted, in JSON characters (a real one is well under 200). */
export const MAX_CARET_JSON = 1024;

/**
 * Positions stick to the character on their left (assoc -1): text someone inserts exactly at the
 * caret goes after it, as `transformPosition` moves the person's own caret in their textarea.
 */
const ASSOC = -1;

/** The selection `anchor`..`head` (UTF-16 offsets into `text`) as awareness JSON. */
export function encodeCaret(field: string, text: Y.Text, anchor: number, head: number): CaretJSON {
  const at = (index: number): RelativePositionJSON =>
    Y.relativePositionToJSON(
      Y.createRelativePositionFromTypeIndex(text, clamp(index, text.length), ASSOC),
    ) as RelativePositionJSON;
  const anchorPosition = at(anchor);
  return { field, anchor: anchorPosition, head: anchor === head ? anchorPosition : at(head) };
}

/**
 * Where a published caret is in `text` now, or null when it is not in `text` (another field,
 * a character this client has not received yet, garbage collected) or cannot be resolved.
 */
export function resolveCaret(ydoc: Y.Doc, text: Y.Text, caret: CaretJSON): ResolvedCaret | null {
  const anchor = resolvePosition(ydoc, text, caret.anchor);
  if (anchor === null) return null;
  const head = caret.head === caret.anchor ? anchor : resolvePosition(ydoc, text, caret.head);
  return head === null ? null : { anchor, head };
}

function resolvePosition(ydoc: Y.Doc, text: Y.Text, json: RelativePositionJSON): number | null {
  try {
    const position = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(json),
      ydoc,
    );
    if (position === null || position.type !== text) return null;
    return clamp(position.index, text.length);
  } catch {
    return null;
  }
}

const clamp = (index: number, length: number): number =>
  Number.isFinite(index) ? Math.max(0, Math.min(length, Math.trunc(index))) : 0;

/**
 * The caret in an awareness state, validated: an object with a string `field` of at most
 * `MAX_FIELD_KEY` characters and two relative positions, JSON-able and at most `MAX_CARET_JSON`
 * characters as JSON. Returns a fresh copy holding only those keys, or null; never throws.
 */
export function parseCaret(raw: unknown): CaretJSON | null {
  try {
    if (!isPlainObject(raw)) return null;
    if (JSON.stringify(raw).length > MAX_CARET_JSON) return null;
    const { field, anchor, head } = raw;
    if (typeof field !== 'string' || field === '' || field.length > MAX_FIELD_KEY) return null;
    const anchorPosition = parsePosition(anchor);
    const headPosition = parsePosition(head);
    if (anchorPosition === null || headPosition === null) return null;
    const same = sameJSON(anchorPosition, headPosition);
    return { field, anchor: anchorPosition, head: same ? anchorPosition : headPosition };
  } catch {
    // getters that throw, cycles, BigInt: not something a client of this app publishes
    return null;
  }
}

function parsePosition(raw: unknown): RelativePositionJSON | null {
  if (!isPlainObject(raw)) return null;
  if (raw.tname !== undefined && raw.tname !== null) return null;
  const type = raw.type === undefined || raw.type === null ? undefined : parseId(raw.type);
  const item = raw.item === undefined || raw.item === null ? undefined : parseId(raw.item);
  if (type === null || item === null) return null;
  if (type === undefined && item === undefined) return null;
  const assoc = raw.assoc ?? 0;
  if (assoc !== -1 && assoc !== 0 && assoc !== 1) return null;
  return {
    ...(type === undefined ? {} : { type }),
    ...(item === undefined ? {} : { item }),
    assoc,
  };
}

function parseId(raw: unknown): IdJSON | null {
  if (!isPlainObject(raw)) return null;
  const { client, clock } = raw;
  return isCount(client) && isCount(clock) ? { client, clock } : null;
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Two parsed positions are equal (the key order `parsePosition` writes is fixed). */
export function sameJSON(a: RelativePositionJSON, b: RelativePositionJSON): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
