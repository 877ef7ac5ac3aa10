import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: path.resolve('./data'),
      logLevel: 'info',
      limits: {
        wsMaxMessageBytes: 1024 * 1024,
        maxDocBytes: 16 * 1024 * 1024,
        maxClientsPerDoc: 100,
        maxConnectionsPerIp: 50,
        restBodyLimitBytes: 5 * 1024 * 1024,
      },
      storage: { flushWindowMs: 0, compactAfterUpdates: 500 },
    });
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ PORT: '9000' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
    expect(config.port).toBe(9000);
  });

  it('treats empty strings as unset and accepts log levels in any case', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: 'DEBUG' })).toMatchObject({
      port: 8080,
      logLevel: 'debug',
    });
  });

  it('names every bad variable and how to fix it', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', MAX_CLIENTS_PER_DOC: '0', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(
      'PORT: expected a whole number, got "eighty". Fix: set PORT to a TCP port',
    );
    expect(message).toContain('MAX_CLIENTS_PER_DOC: expected a number from 1 to 100000, got 0');
    expect(message).toContain(
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent',
    );
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([
      'PORT',
      'LOG_LEVEL',
      'MAX_CLIENTS_PER_DOC',
    ]);
  });

  it('refuses out-of-range ports', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT: expected a number from 0 to 65535/);
  });

  it('reads the Postgres pool size, schema and TLS settings beside DATABASE_URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/syspat',
      DATABASE_SCHEMA: 'syspat',
      DATABASE_POOL_SIZE: '25',
      DATABASE_SSL: 'VERIFY',
      DATABASE_SSL_CA: 'certs/ca.pem',
    });
    expect(config.storage.backend).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/syspat',
      schema: 'syspat',
      poolSize: 25,
      ssl: 'verify',
      sslCaFile: path.resolve('certs/ca.pem'),
    });
  });

  it('refuses Postgres settings that are malformed or contradict each other, naming the fix', () => {
    const url = 'postgres://db/syspat';
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_SCHEMA: 'Bad-Name' })).toThrow(
      /DATABASE_SCHEMA: expected a lower-case Postgres identifier/,
    );
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '0' })).toThrow(
      /DATABASE_POOL_SIZE: expected a number from 1 to 1000/,
    );
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_SSL: 'yes' })).toThrow(
      /DATABASE_SSL: .*Fix: set DATABASE_SSL to off/,
    );
    expect(() =>
      loadConfig({ DATABASE_URL: `${url}?sslmode=require`, DATABASE_SSL: 'verify' }),
    ).toThrow(/DATABASE_SSL: DATABASE_URL has an sslmode parameter too.*remove sslmode/);
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_SSL_CA: 'ca.pem' })).toThrow(
      /DATABASE_SSL_CA: .*set DATABASE_SSL=verify/,
    );
  });
});
