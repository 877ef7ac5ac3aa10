/**
 * Who the person at this browser is, until accounts exist: a display name and a colour, picked
 * on first visit and kept in localStorage. Everything read back (from storage or from another
 * client's awareness state) goes through `toSafeName` / `toSafeColor` (reliability R29).
 */

export interface Identity {
  readonly name: string;
  readonly color: string;
}

export const PALETTE = [
  '#e5484d',
  '#f76b15',
  '#d6a300',
  '#30a46c',
  '#12a594',
  '#0090ff',
  '#3e63dd',
  '#8e4ec6',
  '#d6409f',
  '#6f6e77',
] as const;

const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;
const MAX_NAME_LENGTH = 40;
const STORAGE_KEY = 'syspat.identity';

export const isSafeColor = (value: unknown): value is string =>
  typeof value === 'string' && COLOR_PATTERN.test(value);

/** A palette colour picked deterministically from `seed` (a client id, say). */
export function paletteColor(seed: number): string {
  const index = Math.abs(Math.trunc(seed)) % PALETTE.length;
  return PALETTE[index] ?? PALETTE[0];
}

/** The colour when it is `#rrggbb`, else the palette default for `seed`. */
export function toSafeColor(value: unknown, seed = 0): string {
  return isSafeColor(value) ? value : paletteColor(seed);
}

/** A one-line name of at most 40 characters, without control characters; `fallback` if none. */
export function toSafeName(value: unknown, fallback = 'Anonymous'): string {
  if (typeof value !== 'string') return fallback;
  const clean = [...value.replace(/[\t\n\r\f\v]/g, ' ')]
    .filter((c) => {
      const code = c.codePointAt(0) ?? 0;
      return (
        code >= 0x20 &&
        code !== 0x7f &&
        !(code >= 0x202a && code <= 0x202e) &&
        !(code >= 0x2066 && code <= 0x2069)
      );
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  const short = [...clean].slice(0, MAX_NAME_LENGTH).join('');
  return short === '' ? fallback : short;
}

/** Up to two letters for an avatar. */
export function initialsOf(name: string): string {
  const words = name.split(' ').filter((w) => w !== '');
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  return letters
    .map((w) => [...(w ?? '')][0] ?? '')
    .join('')
    .toUpperCase();
}

export function loadIdentity(storage: Pick<Storage, 'getItem'> = localStorage): Identity | null {
  let raw: string | null;
  try {
    raw = storage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { name, color } = parsed as { name?: unknown; color?: unknown };
    if (typeof name !== 'string' || toSafeName(name, '') === '') return null;
    return { name: toSafeName(name), color: toSafeColor(color) };
  } catch {
    return null;
  }
}

export function saveIdentity(
  identity: Identity,
  storage: Pick<Storage, 'setItem'> = localStorage,
): Identity {
  const safe = { name: toSafeName(identity.name), color: toSafeColor(identity.color) };
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(safe));
  } catch {
    // private mode or quota: the identity lasts for this page only
  }
  return safe;
}

/** A random palette colour for the first-visit dialog. */
export function randomColor(): string {
  const bytes = new Uint8Array(1);
  crypto.getRandomValues(bytes);
  return paletteColor(bytes[0] ?? 0);
}
