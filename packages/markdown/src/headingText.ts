/**
 * Heading text without the emphasis wrapped around all of it: `**1. Overview**` reads as
 * `1. Overview`, so the title and the outline show no `**`.
 */
export function stripHeadingEmphasis(text: string): string {
  let current = text.trim();
  for (;;) {
    const wrapped = /^(\*\*|__|\*|_)(?=\S)([\s\S]*?\S)\1$/u.exec(current);
    const inner = wrapped?.[2];
    // `**a** and **b**` is not one wrapped run.
    if (inner === undefined || inner.includes(wrapped?.[1] ?? '')) return current;
    current = inner.trim();
  }
}

/** "Data Flow Pattern" without the card word "Pattern": `undefined` when it has none. */
export function withoutCardWord(heading: string, cardLabel: string): string | undefined {
  const words = heading.trim().split(/\s+/u);
  const last = words.pop() ?? '';
  const plain = last.replace(/[^\p{L}]/gu, '').toLowerCase();
  return words.length > 0 && plain === cardLabel.toLowerCase() ? words.join(' ') : undefined;
}
