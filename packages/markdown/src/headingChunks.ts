/**
 * Offsets where the text can be cut into independently parsed pieces: the starts of lines that
 * are top-level ATX headings for certain (no indentation). Where a line might belong to a fence, an HTML block
 * or front matter, it is not a cut; a missed cut only costs speed, a wrong cut would change the
 * tree, so every doubt goes to "no cut". Returns [0, ...cuts].
 */
export function headingChunkStarts(text: string): number[] {
  const starts = [0];
  const lines = text.split('\n');
  let offset = 0;
  let index = 0;
  // Front matter (only at the very start) is skipped whole.
  const frontMatter = /^(---|\+\+\+)$/.exec(lines[0] ?? '')?.[1];
  if (frontMatter) {
    const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === frontMatter);
    if (close === -1) return starts;
    for (; index <= close; index += 1) offset += (lines[index]?.length ?? 0) + 1;
  }
  let fence: RegExp | null = null;
  let htmlEnd: RegExp | null = null;
  let htmlUntilBlank = false;
  for (; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const lineStart = offset;
    offset += line.length + 1;
    if (fence) {
      if (fence.test(line)) fence = null;
      continue;
    }
    if (htmlEnd || htmlUntilBlank) {
      // Whether that HTML line really started a block depends on what came before it (an HTML
      // start inside a paragraph is text, one in a list item ends with the item); a fence or
      // another HTML start here could then open a real block. Give up cutting.
      if (/^ {0,3}(`{3,}|~{3,})/.test(line)) return starts;
      if (htmlStart.test(line) && !htmlEnd?.test(line)) return starts;
      if (htmlEnd?.test(line)) htmlEnd = null;
      if (htmlUntilBlank && line.trim() === '') htmlUntilBlank = false;
      continue;
    }
    const opening = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
    const marker = opening?.[2];
    if (marker && !(marker.startsWith('`') && opening[3]?.includes('`'))) {
      // An indented fence may sit in a list item, where the item's end closes it; we cannot
      // tell without parsing containers, so no cut after it at all.
      if (opening[1] !== '') return starts;
      fence = new RegExp(`^ {0,3}${marker.startsWith('`') ? '`' : '~'}{${marker.length},}[ \\t]*$`);
      continue;
    }
    const html = htmlStart.exec(line);
    if (html) {
      const end = htmlBlockEnd(html[2] ?? '', html[1] === '/');
      if (end) {
        if (!end.test(line.slice(html[0].length))) htmlEnd = end;
      } else {
        htmlUntilBlank = true;
      }
      continue;
    }
    // Only a heading at the margin ends every container (list items need indentation,
    // quotes need `>`); an indented one may belong to a list item.
    if (lineStart > 0 && /^#{1,6}(?:[ \t]|$)/.test(line)) starts.push(lineStart);
  }
  return starts;
}

const htmlStart = /^ {0,3}<(\/?)([A-Za-z][A-Za-z0-9-]*|!--|\?|![A-Za-z]|!\[CDATA\[)/;

/** The end condition of HTML blocks of kinds 1–5, which run across blank lines. */
function htmlBlockEnd(opener: string, closing: boolean): RegExp | null {
  if (opener === '!--') return /-->/;
  if (opener === '?') return /\?>/;
  if (opener === '![CDATA[') return /\]\]>/;
  if (opener.startsWith('!')) return />/;
  const tag = opener.toLowerCase();
  if (!closing && ['script', 'pre', 'style', 'textarea'].includes(tag))
    return new RegExp(`</${tag}>`, 'i');
  return null;
}
