import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/index.ts';
import { SERVER_DIR, buildTestEnv, tempDir } from './support.ts';

describe('starting the server', () => {
  it('stops at start-up on a bad value, naming the variable and the fix', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: SERVER_DIR,
      env: { ...process.env, PORT: 'eighty', DATA_DIR: tempDir() },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration:');
    expect(result.stderr).toContain(
      'PORT: expected a whole number, got "eighty". Fix: set PORT to a TCP port',
    );
  });
});

describe('serving the web app', () => {
  it('serves the built app at / with a history fallback, never for /api or /collab', async () => {
    const dist = tempDir();
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>syspat</title>');
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    const app = await buildApp(loadConfig(buildTestEnv({ WEB_DIST_DIR: dist })));
    try {
      const root = await app.inject('/');
      expect(root.statusCode).toBe(200);
      expect(root.body).toContain('<title>syspat</title>');
      expect((await app.inject('/assets/app.js')).body).toBe('console.log(1)');
      const deep = await app.inject('/docs/abc123');
      expect(deep.statusCode).toBe(200);
      expect(deep.body).toContain('<title>syspat</title>');
      expect((await app.inject('/assets/missing.js')).statusCode).toBe(404);
      const api = await app.inject('/api/nope');
      expect(api.statusCode).toBe(404);
      expect(api.json()).toMatchObject({ error: 'not_found' });
      expect((await app.inject('/../../etc/passwd')).body).not.toContain('root:');
    } finally {
      await app.close();
    }
  });
});
