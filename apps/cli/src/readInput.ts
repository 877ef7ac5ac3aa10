import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from './CliError.ts';

export interface Input {
  /** What to call the input in messages: the path as given, or `<stdin>`. */
  readonly name: string;
  /** The absolute path, or null for stdin. */
  readonly path: string | null;
  readonly text: string;
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Reads FILE (relative to where the user ran the command, also under `pnpm syspat`) or stdin
 * for `-`, and decodes it as strict UTF-8: a file that is not text is refused, not mangled.
 */
export async function readInput(
  file: string,
  cwd: string,
  stdin: NodeJS.ReadableStream,
): Promise<Input> {
  const absolute = file === '-' ? null : path.resolve(cwd, file);
  const name = file === '-' ? '<stdin>' : file;
  let bytes: Buffer;
  try {
    bytes = absolute === null ? await readStdin(stdin) : await readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new CliError(`${name}: cannot read: ${reason}`);
  }
  try {
    return { name, path: absolute, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    throw new CliError(`${name}: not UTF-8 text; save it as UTF-8 and try again`);
  }
}
