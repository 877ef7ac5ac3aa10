import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/runCli.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const templatePath = path.join(repoRoot, 'packages/template/fixtures/system-patterns.md');
const template = readFileSync(templatePath, 'utf8');
const filledPath = path.join(repoRoot, 'packages/markdown/fixtures/filled.md');

async function run(args: string[], stdin = '') {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    cwd: repoRoot,
    stdin: Readable.from([Buffer.from(stdin)]),
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  return { code, out, err };
}

function tempFile(name: string, content: string | Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'syspat-cli-')), name);
  writeFileSync(file, content);
  return file;
}

describe('syspat fmt', () => {
  it('prints the template exactly, plus a final newline', async () => {
    expect(await run(['fmt', templatePath])).toEqual({ code: 0, out: `${template}\n`, err: '' });
  });

  it('reads stdin when FILE is -', async () => {
    expect((await run(['fmt', '-'], template)).out).toBe(`${template}\n`);
  });

  it('--check passes a canonical file and fails another, showing where it differs', async () => {
    expect((await run(['fmt', '--check', filledPath])).code).toBe(0);
    const messy = tempFile('messy.md', '# System Patterns\n\n## Architecture\nText\n');
    const result = await run(['fmt', '--check', messy]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('not canonical');
    expect(result.err).toContain('-## Architecture');
    expect(result.err).toContain('+## System Architecture Overview');
  });

  it('--write rewrites the file in canonical form', async () => {
    const file = tempFile(
      'doc.md',
      '## Key technical decisions\r\n\r\n### Decision 1: A\r\n* **Choice:** a\r\n',
    );
    expect((await run(['fmt', '--write', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      '## Key Technical Decisions\n\n### Decision 1: A\n- **Choice**: a\n',
    );
    expect((await run(['fmt', '--check', file])).code).toBe(0);
  });
});

describe('bad input', () => {
  it('refuses a file that is not UTF-8 with one line naming it, exit 2', async () => {
    const file = tempFile('latin1.md', Buffer.from([0x23, 0x20, 0xe9, 0x74, 0xe9, 0x0a]));
    const result = await run(['fmt', file]);
    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n')).toEqual([
      `${file}: not UTF-8 text; save it as UTF-8 and try again`,
    ]);
  });

  it('names a missing file, exit 2', async () => {
    expect(await run(['lint', 'no/such/file.md'])).toEqual({
      code: 2,
      out: '',
      err: 'no/such/file.md: cannot read: no such file\n',
    });
  });

  it('rejects unknown commands, options and formats with exit 2', async () => {
    expect((await run(['frobnicate', 'x.md'])).code).toBe(2);
    expect((await run(['fmt', '--nope', templatePath])).code).toBe(2);
    expect((await run(['lint', '--format', 'xml', templatePath])).err).toContain(
      '--format must be "text" or "json"',
    );
  });
});

describe('syspat json and lint', () => {
  it('json prints the model', async () => {
    const result = await run(['json', filledPath]);
    const model = JSON.parse(result.out) as { title: string; sections: Record<string, unknown> };
    expect(model.title).toBe('System Patterns');
    expect(Object.keys(model.sections)).toContain('components');
  });

  it('json --report says on stderr what was recognized and leaves stdout the model', async () => {
    const file = tempFile(
      'bank.md',
      [
        '## Core Components',
        '',
        '### Component 1: Gateway',
        '- **Purpose**: Routes requests',
        '',
        '## Security Architecture',
        '',
        'Only prose here.',
        '',
        '## Release Notes',
        '',
        'Kept as written.',
        '',
      ].join('\n'),
    );
    const plain = await run(['json', file]);
    const reported = await run(['json', '--report', file]);
    expect(reported.code).toBe(0);
    // ids are random per parse; everything else on stdout is the same model
    const withoutIds = (out: string) => out.replace(/"id": "[^"]*"/g, '"id": ""');
    expect(withoutIds(reported.out)).toBe(withoutIds(plain.out));
    expect(plain.err).toBe('');
    expect(reported.err).toBe(`${file}: 1 component; 1 section kept as notes; 1 extra section\n`);
  });

  it('lint exits 1 on errors and prints rule ids; --format json is machine-readable', async () => {
    const file = tempFile(
      'd.md',
      '## Key Technical Decisions\n\n### Decision 1: X\n- **Choice**: x\n',
    );
    const text = await run(['lint', file]);
    expect(text.code).toBe(1);
    expect(text.out).toContain(
      'error [decision-without-rationale] Key Technical Decisions › Decision 1 (X)',
    );
    const json = await run(['lint', '--format', 'json', file]);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.out) as { rule: string }[]).map((w) => w.rule)).toEqual([
      'decision-without-rationale',
      'decision-without-impact',
    ]);
  });

  it('lint exits 0 when there are only warnings', async () => {
    expect((await run(['lint', templatePath])).code).toBe(0);
  });
});

describe('the syspat binary', () => {
  it('runs from any directory and resolves FILE against it', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(repoRoot, 'apps/cli/bin/syspat.js'), 'fmt', 'system-patterns.md'],
      {
        cwd: path.dirname(templatePath),
        env: { ...process.env, INIT_CWD: '' },
      },
    );
    expect(stdout).toBe(`${template}\n`);
  });
});

describe("syspat's own architecture document", () => {
  const docsPath = path.join(repoRoot, 'docs/system-patterns.md');

  it('is canonical (syspat fmt --check passes)', async () => {
    const result = await run(['fmt', '--check', docsPath]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
  });

  it('has no lint warnings', async () => {
    const result = await run(['lint', '--format', 'json', docsPath]);
    expect(JSON.parse(result.out)).toEqual([]);
  });
});

describe('the README example', () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```markdown\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

  it('shows what syspat fmt really prints for its input', async () => {
    expect(blocks).toHaveLength(2);
    const result = await run(['fmt', '-'], blocks[0]);
    expect(result.out).toBe(blocks[1]);
  });
});
