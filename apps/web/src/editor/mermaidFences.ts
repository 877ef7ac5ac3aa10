/**
 * The mermaid fences in a markdown text (notes, an extra block or section), in order, so a
 * fence kept as text still shows its diagram. A line scan after CommonMark's fence rules (up
 * to three spaces of indent, a closing run of the same character at least as long) rather than
 * a markdown parse: it runs on every keystroke in a body and needs nothing else of the tree.
 */
export function mermaidFences(markdown: string): string[] {
  const found: string[] = [];
  const lines = markdown.split(/\r?\n/u);
  let open: { marker: string; mermaid: boolean; code: string[] } | null = null;
  for (const line of lines) {
    if (open) {
      const run = /^ {0,3}(`{3,}|~{3,})\s*$/u.exec(line)?.[1];
      if (run && run[0] === open.marker[0] && run.length >= open.marker.length) {
        if (open.mermaid) found.push(open.code.join('\n'));
        open = null;
      } else open.code.push(line);
      continue;
    }
    const start = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/u.exec(line);
    if (start?.[1]) open = { marker: start[1], mermaid: start[2] === 'mermaid', code: [] };
  }
  // An unclosed fence runs to the end of the text, as CommonMark reads it.
  if (open?.mermaid) found.push(open.code.join('\n'));
  return found;
}
