import { runCli } from './runCli.ts';

// Under `pnpm syspat` the process runs in the workspace root; INIT_CWD is where the user was.
const cwd = process.env['INIT_CWD'] || process.cwd();

const exitCode = await runCli(process.argv.slice(2), {
  cwd,
  stdin: process.stdin,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = exitCode;
