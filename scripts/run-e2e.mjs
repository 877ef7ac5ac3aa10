#!/usr/bin/env node
// Runs the Playwright suite with a Chromium from the system (Playwright cannot download its
// own browser on every machine). Without one: CI fails, a developer's run skips with a message.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const chromium =
  process.env.CHROMIUM_PATH ||
  ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ||
  onPath('chromium') ||
  onPath('chromium-browser') ||
  onPath('google-chrome');

if (!chromium) {
  const message =
    'No Chromium found for the browser tests: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH.';
  if (process.env.CI) {
    console.error(message);
    process.exit(1);
  }
  console.warn(`\nSkipping the browser tests. ${message}\n`);
  process.exit(0);
}

const e2eDir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'e2e');
const playwright = path.join(
  e2eDir,
  'node_modules',
  '.bin',
  process.platform === 'win32' ? 'playwright.cmd' : 'playwright',
);
const result = spawnSync(playwright, ['test', ...process.argv.slice(2)], {
  cwd: e2eDir,
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
