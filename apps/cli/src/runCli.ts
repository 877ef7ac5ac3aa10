import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CliError } from './CliError.ts';
import { fmt, json, lint, type Output } from './commands.ts';
import { readInput } from './readInput.ts';

export const usage = `Usage: syspat <command> [options] FILE   (FILE may be - for stdin)

Commands:
  fmt FILE            print the canonical markdown of FILE
      --check         exit 1 and show a diff when FILE is not canonical
      --write         rewrite FILE in canonical form
  json FILE           print the document model as JSON
      --report        also say on stderr what was recognized ("7 components, 1 diagram; ...")
  lint FILE           print completeness warnings; exit 1 when any is an error
      --format json   machine-readable output

Exit codes: 0 ok, 1 not canonical / lint errors, 2 bad usage or unreadable input.
`;

export interface CliContext extends Output {
  readonly cwd: string;
  readonly stdin: NodeJS.ReadableStream;
}

const formatSchema = z.enum(['text', 'json'], { error: () => '--format must be "text" or "json"' });

/** Runs one CLI invocation and returns its exit code; never calls process.exit. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      context.out(usage);
      return command === undefined ? 2 : 0;
    }
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        check: { type: 'boolean', default: false },
        write: { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        report: { type: 'boolean', default: false },
      },
    });
    const [file, ...extra] = positionals;
    if (file === undefined)
      throw new CliError(`syspat ${command}: missing FILE (use - for stdin)\n\n${usage}`);
    if (extra.length > 0)
      throw new CliError(`syspat ${command}: one FILE at a time, got ${positionals.length}`);
    switch (command) {
      case 'fmt': {
        if (values.check && values.write)
          throw new CliError('syspat fmt: use --check or --write, not both');
        return await fmt(
          await readInput(file, context.cwd, context.stdin),
          { check: values.check, write: values.write },
          context,
        );
      }
      case 'json':
        return json(
          await readInput(file, context.cwd, context.stdin),
          { report: values.report },
          context,
        );
      case 'lint': {
        const format = formatSchema.safeParse(values.format);
        if (!format.success) throw new CliError(format.error.issues[0]?.message ?? 'bad --format');
        return lint(await readInput(file, context.cwd, context.stdin), format.data, context);
      }
      default:
        throw new CliError(`syspat: unknown command "${command}"; try fmt, json or lint`);
    }
  } catch (error) {
    if (error instanceof CliError) {
      context.err(`${error.message}\n`);
      return error.exitCode;
    }
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      context.err(`syspat: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
