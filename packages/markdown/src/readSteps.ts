import type { RootContent } from 'mdast';
import type { CardsBlockSpec } from '@syspat/template';
import type { Card } from '@syspat/model';
import { readPlainList, type BlockContext } from './parseBlocks.ts';
import { readCardList } from './readCardList.ts';

/**
 * The Critical Implementation Paths a run of nodes under a flow heading holds: a numbered list
 * is one path named by the heading, and a numbered list whose every item is a name with
 * sub-items is one path per item. The rest of the nodes are the path's notes, or (`keepRest`)
 * stay where they are.
 */
export function readSteps(
  title: string,
  nodes: readonly RootContent[],
  spec: CardsBlockSpec,
  context: BlockContext,
  keepRest = false,
): { cards: Card[]; rest: RootContent[][] } | undefined {
  for (const [i, node] of nodes.entries()) {
    if (node.type !== 'list' || !node.ordered) continue;
    const before = nodes.slice(0, i);
    const after = nodes.slice(i + 1);
    const named = node.children.every((item) => item.children.some((c) => c.type === 'list'))
      ? readCardList(node, spec, context)
      : undefined;
    if (named) return { cards: named, rest: [before, after].filter((r) => r.length > 0) };
    const texts = readPlainList(node, context, true);
    if (!texts) continue;
    // Notes print before the steps: a numbered list at their end would run into them.
    const notesNodes = [...before, ...after];
    const last = notesNodes[notesNodes.length - 1];
    if (last?.type === 'list' && last.ordered) return undefined;
    const rest = [before, after].filter((run) => run.length > 0);
    const card: Card = {
      id: context.ids(),
      title,
      notes: keepRest
        ? ''
        : rest
            .filter((run) => run.length > 0)
            .map((run) => context.source.blocks(run))
            .join('\n\n'),
      fields: {},
      extraFields: [],
      steps: texts.map((text) => ({ id: context.ids(), text })),
    };
    return { cards: [card], rest: keepRest ? rest : [] };
  }
  return undefined;
}
