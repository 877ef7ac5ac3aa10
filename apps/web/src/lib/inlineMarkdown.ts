/**
 * The text of a line of markdown that is one emphasised span and nothing else (`*like this*` or
 * `_like this_`), for showing it rendered; null for anything else, which is then shown as the
 * markdown it is. Conservative: any other markdown syntax inside (code, links, HTML, escapes,
 * entities, nested emphasis) or a line break gives null.
 */
export function singleEmphasis(markdown: string): string | null {
  const line = markdown.trim();
  const match = /^([*_])([^*_`[\]<>\\&~\r\n]+)\1$/.exec(line);
  const inner = match?.[2];
  if (inner === undefined || inner.trim() !== inner) return null;
  return inner;
}
