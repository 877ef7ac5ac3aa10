import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `pnpm start`: builds the web app when it exists and has no build yet, then starts the server.
 * A failed web build is reported and the API still starts.
 */
const webDir = fileURLToPath(new URL('../../web/', import.meta.url));
const hasWebPackage = fs.existsSync(`${webDir}package.json`) && fs.existsSync(`${webDir}src`);
const hasBuild = fs.existsSync(`${webDir}dist/index.html`);

if (hasWebPackage && !hasBuild) {
  process.stdout.write('syspat: building the web app (apps/web) once...\n');
  // Vite from the web package itself: no package manager needs to be on PATH.
  const vite = `${webDir}node_modules/.bin/${process.platform === 'win32' ? 'vite.cmd' : 'vite'}`;
  const result = spawnSync(vite, ['build'], {
    cwd: webDir,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    process.stderr.write(
      'syspat: the web app did not build; starting the API only (see the output above)\n',
    );
  }
}

await import('./main.ts');
