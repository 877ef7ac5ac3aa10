import type { Heading, RootContent } from 'mdast';

export const isHeading = (node: RootContent | undefined, maxDepth: number): node is Heading =>
  node?.type === 'heading' && node.depth <= maxDepth;

/** Splits nodes at headings of at most `maxDepth`: what comes before the first, then each heading with its body. */
export function splitAtHeadings(nodes: readonly RootContent[], maxDepth: number) {
  const lead: RootContent[] = [];
  const parts: { heading: Heading; body: RootContent[] }[] = [];
  for (const node of nodes) {
    if (isHeading(node, maxDepth)) parts.push({ heading: node, body: [] });
    else if (parts.length > 0) parts[parts.length - 1]?.body.push(node);
    else lead.push(node);
  }
  return { lead, parts };
}
