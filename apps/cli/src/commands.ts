import { writeFile } from 'node:fs/promises';
import { createTwoFilesPatch } from 'diff';
import {
  importReport,
  lintDocument,
  parseMarkdown,
  printMarkdown,
  type LintWarning,
} from '@syspat/markdown';
import { CliError } from './CliError.ts';
import type { Input } from './readInput.ts';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export interface FmtOptions {
  readonly check: boolean;
  readonly write: boolean;
}

/** `syspat fmt`: print, check or rewrite the canonical markdown. Returns the exit code. */
export async function fmt(input: Input, options: FmtOptions, io: Output): Promise<number> {
  const canonical = printMarkdown(parseMarkdown(input.text));
  if (options.check) {
    if (canonical === input.text) return 0;
    io.err(`${input.name}: not canonical; run \`syspat fmt --write ${input.name}\` to fix it\n`);
    io.err(
      createTwoFilesPatch(
        input.name,
        `${input.name} (canonical)`,
        input.text,
        canonical,
        undefined,
        undefined,
        { context: 2 },
      ),
    );
    return 1;
  }
  if (options.write) {
    if (input.path === null) throw new CliError('--write needs a file, not stdin (-)');
    if (canonical !== input.text) await writeFile(input.path, canonical, 'utf8');
    return 0;
  }
  io.out(canonical);
  return 0;
}

/**
 * `syspat json`: the document model as JSON. With `report`, what the import recognized goes to
 * stderr as one line, so stdout stays the model and pipes into other tools unchanged.
 */
export function json(input: Input, options: { readonly report: boolean }, io: Output): number {
  const model = parseMarkdown(input.text);
  io.out(`${JSON.stringify(model, null, 2)}\n`);
  if (options.report) io.err(`${input.name}: ${importReport(model).text}\n`);
  return 0;
}

function formatWarning(name: string, w: LintWarning): string {
  const place = w.sectionHeading ? `${w.sectionHeading} › ${w.where}` : w.where;
  return `${name}: ${w.severity} [${w.rule}] ${place}: ${w.message}`;
}

/** `syspat lint`: completeness warnings; exit 1 when any is an error. */
export function lint(input: Input, format: 'text' | 'json', io: Output): number {
  const warnings = lintDocument(parseMarkdown(input.text));
  if (format === 'json') {
    io.out(`${JSON.stringify(warnings, null, 2)}\n`);
  } else {
    for (const w of warnings) io.out(`${formatWarning(input.name, w)}\n`);
    const errors = warnings.filter((w) => w.severity === 'error').length;
    io.err(`${input.name}: ${errors} error(s), ${warnings.length - errors} warning(s)\n`);
  }
  return warnings.some((w) => w.severity === 'error') ? 1 : 0;
}
