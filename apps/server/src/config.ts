import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * Server configuration, parsed once from the environment. This is the only file that reads
 * `process.env` (through `loadConfig`, called by `main.ts`); everything else receives a `Config`.
 */

const MiB = 1024 * 1024;

const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One integer variable: the hint tells the operator how to fix a bad value. */
function int(defaultValue: number, min: number, max: number) {
  return z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx): number => {
      if (raw === undefined || raw === '') return defaultValue;
      if (!/^\d+$/.test(raw)) {
        ctx.addIssue({ code: 'custom', message: `expected a whole number, got "${raw}"` });
        return z.NEVER;
      }
      const value = Number(raw);
      if (value < min || value > max) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a number from ${min} to ${max}, got ${raw}`,
        });
        return z.NEVER;
      }
      return value;
    });
}

function text(defaultValue: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((raw) => (raw === undefined || raw === '' ? defaultValue : raw));
}

/**
 * Variable name → schema and the fix we print when it is wrong. Keep names, defaults and hints
 * in this one table; the README's limit table is written from it.
 */
const variables = {
  PORT: {
    schema: int(8080, 0, 65535),
    hint: 'set PORT to a TCP port such as 8080 (0 picks a free one), or unset it',
  },
  HOST: {
    schema: text('0.0.0.0'),
    hint: 'set HOST to an interface address such as 0.0.0.0 or 127.0.0.1',
  },
  DATA_DIR: {
    schema: text('./data'),
    hint: 'set DATA_DIR to a writable directory for the SQLite database',
  },
  DATABASE_URL: {
    schema: z
      .string()
      .trim()
      .optional()
      .transform((raw) => (raw === undefined || raw === '' ? null : raw))
      .pipe(
        z
          .string()
          .regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// or postgresql:// URL' })
          .nullable(),
      ),
    hint:
      'set DATABASE_URL to a Postgres URL such as postgres://user:pass@host:5432/syspat, or ' +
      'unset it to keep the documents in SQLite in DATA_DIR',
  },
  DATABASE_SCHEMA: {
    schema: text('public').pipe(
      z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, {
        message: 'expected a lower-case Postgres identifier (letters, digits, _; at most 63)',
      }),
    ),
    hint:
      'set DATABASE_SCHEMA to the Postgres schema syspat keeps its tables in, such as syspat ' +
      '(created at start-up when missing), or unset it for public',
  },
  DATABASE_POOL_SIZE: {
    schema: int(10, 1, 1000),
    hint:
      'set DATABASE_POOL_SIZE to the Postgres connections one instance may open, e.g. 10 ' +
      '(instances × pool size must stay below the server max_connections)',
  },
  DATABASE_SSL: {
    schema: z
      .string()
      .trim()
      .optional()
      .transform((raw) => (raw === undefined || raw === '' ? null : raw.toLowerCase()))
      .pipe(z.enum(['off', 'require', 'verify']).nullable()),
    hint:
      'set DATABASE_SSL to off (plain TCP; the default), require (TLS, certificate not checked) ' +
      'or verify (TLS, certificate and host name checked against DATABASE_SSL_CA or the system ' +
      'CAs), and leave sslmode out of DATABASE_URL',
  },
  DATABASE_SSL_CA: {
    schema: z
      .string()
      .trim()
      .optional()
      .transform((raw) => (raw === undefined || raw === '' ? null : path.resolve(raw))),
    hint: 'set DATABASE_SSL_CA to a PEM file of the CA that signed the Postgres certificate',
  },
  LOG_LEVEL: {
    schema: z
      .string()
      .trim()
      .optional()
      .transform((raw) => (raw === undefined || raw === '' ? 'info' : raw.toLowerCase()))
      .pipe(z.enum(LOG_LEVELS, { message: `expected one of ${LOG_LEVELS.join(', ')}` })),
    hint: `set LOG_LEVEL to one of ${LOG_LEVELS.join(', ')}`,
  },
  FANOUT_ORDER: {
    schema: z
      .string()
      .trim()
      .optional()
      .transform((raw) => (raw === undefined || raw === '' ? 'commit-first' : raw.toLowerCase()))
      .pipe(
        z.enum(['commit-first', 'send-first'], {
          message: 'expected commit-first or send-first',
        }),
      ),
    hint:
      'set FANOUT_ORDER to commit-first (nobody receives an edit before it is on disk; the ' +
      'default) or send-first (others receive it at once, it is committed in the same turn and ' +
      'acknowledged to its author only then; about 0.3-0.7 ms less latency per edit)',
  },
  SQLITE_SYNCHRONOUS: {
    schema: z
      .string()
      .trim()
      .optional()
      .transform((raw) => (raw === undefined || raw === '' ? 'full' : raw.toLowerCase()))
      .pipe(z.enum(['full', 'normal'], { message: 'expected full or normal' })),
    hint:
      'set SQLITE_SYNCHRONOUS to full (an acknowledged edit survives power loss; the default) or ' +
      'normal (survives a server crash, not an OS crash or power loss; about 1 ms less per commit)',
  },
  WEB_DIST_DIR: {
    schema: text(DEFAULT_WEB_DIST_DIR),
    hint: 'set WEB_DIST_DIR to the directory holding the built web app (index.html)',
  },
  WS_MAX_MESSAGE_BYTES: {
    schema: int(1 * MiB, 1024, 256 * MiB),
    hint: 'set WS_MAX_MESSAGE_BYTES to a byte count such as 1048576 (1 MiB)',
  },
  WS_MAX_AWARENESS_BYTES: {
    schema: int(64 * 1024, 256, 16 * MiB),
    hint: 'set WS_MAX_AWARENESS_BYTES to a byte count such as 65536',
  },
  WS_MESSAGES_PER_SECOND: {
    schema: int(50, 1, 1_000_000),
    hint: 'set WS_MESSAGES_PER_SECOND to the sustained messages per second one connection may send, e.g. 50',
  },
  WS_MESSAGE_BURST: {
    schema: int(200, 1, 10_000_000),
    hint: 'set WS_MESSAGE_BURST to the burst of messages one connection may send at once, e.g. 200',
  },
  WS_BYTES_PER_SECOND: {
    schema: int(1 * MiB, 1024, 1024 * MiB),
    hint: 'set WS_BYTES_PER_SECOND to the sustained bytes per second one connection may send, e.g. 1048576',
  },
  WS_CONNECTS_PER_MINUTE: {
    schema: int(60, 1, 1_000_000),
    hint: 'set WS_CONNECTS_PER_MINUTE to the websocket connection attempts one IP may make per minute',
  },
  MAX_DOC_BYTES: {
    schema: int(16 * MiB, 1024, 1024 * MiB),
    hint: 'set MAX_DOC_BYTES to the largest stored document size in bytes, e.g. 16777216 (16 MiB)',
  },
  MAX_CLIENTS_PER_DOC: {
    schema: int(100, 1, 100_000),
    hint: 'set MAX_CLIENTS_PER_DOC to a count such as 100',
  },
  MAX_CONNECTIONS_PER_IP: {
    schema: int(50, 1, 1_000_000),
    hint: 'set MAX_CONNECTIONS_PER_IP to the concurrent websockets one IP may hold, e.g. 50',
  },
  REST_BODY_LIMIT_BYTES: {
    schema: int(5 * MiB, 1024, 1024 * MiB),
    hint: 'set REST_BODY_LIMIT_BYTES to the largest request body in bytes, e.g. 5242880 (5 MiB)',
  },
  REST_REQUESTS_PER_MINUTE: {
    schema: int(600, 1, 100_000_000),
    hint: 'set REST_REQUESTS_PER_MINUTE to the API requests one IP may make per minute, e.g. 600',
  },
  FLUSH_WINDOW_MS: {
    schema: int(0, 0, 1000),
    hint: 'set FLUSH_WINDOW_MS to the group-commit window in milliseconds (0 = next event-loop turn)',
  },
  COMPACT_AFTER_UPDATES: {
    schema: int(500, 1, 10_000_000),
    hint: 'set COMPACT_AFTER_UPDATES to the number of logged updates that triggers a snapshot, e.g. 500',
  },
  UNLOAD_DELAY_MS: {
    schema: int(10_000, 0, 86_400_000),
    hint: 'set UNLOAD_DELAY_MS to how long an idle document stays in memory after its last client left',
  },
  SHUTDOWN_TIMEOUT_MS: {
    schema: int(10_000, 100, 600_000),
    hint: 'set SHUTDOWN_TIMEOUT_MS to the longest a graceful shutdown may take, e.g. 10000',
  },
} as const;

type Variables = typeof variables;
export type ConfigVariable = keyof Variables;

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absolute path. */
  readonly dataDir: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Absolute path; served at `/` when it holds an index.html. */
  readonly webDistDir: string;
  readonly limits: {
    readonly wsMaxMessageBytes: number;
    readonly wsMaxAwarenessBytes: number;
    readonly wsMessagesPerSecond: number;
    readonly wsMessageBurst: number;
    readonly wsBytesPerSecond: number;
    readonly wsConnectsPerMinute: number;
    readonly maxDocBytes: number;
    readonly maxClientsPerDoc: number;
    readonly maxConnectionsPerIp: number;
    readonly restBodyLimitBytes: number;
    readonly restRequestsPerMinute: number;
  };
  readonly storage: {
    /** Where documents live: SQLite in `dataDir`, or Postgres when DATABASE_URL is set. */
    readonly backend: StorageBackend;
    readonly sqliteSynchronous: 'full' | 'normal';
    readonly fanoutOrder: 'commit-first' | 'send-first';
    readonly flushWindowMs: number;
    readonly compactAfterUpdates: number;
    readonly unloadDelayMs: number;
  };
  readonly shutdownTimeoutMs: number;
}

export type StorageBackend =
  | { readonly kind: 'sqlite'; readonly dataDir: string }
  | ({ readonly kind: 'postgres' } & PostgresConfig);

export interface PostgresConfig {
  readonly url: string;
  /** Schema of the syspat tables (DATABASE_SCHEMA). */
  readonly schema: string;
  readonly poolSize: number;
  /** TLS to the server: off, on without checking the certificate, or on and checked. */
  readonly ssl: 'off' | 'require' | 'verify';
  /** Absolute path of a PEM CA file for `verify`, or null for the system CAs. */
  readonly sslCaFile: string | null;
}

/** Thrown by `loadConfig`; its message names every bad variable and how to fix it. */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly { variable: ConfigVariable; message: string; hint: string }[],
  ) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.variable}: ${p.message}. Fix: ${p.hint}.`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

type Parsed = { [K in ConfigVariable]: z.output<Variables[K]['schema']> };

/** Parses the environment into a frozen `Config`; throws `ConfigError` on any bad value. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: { variable: ConfigVariable; message: string; hint: string }[] = [];
  const parsed: Partial<Record<ConfigVariable, unknown>> = {};
  for (const variable of Object.keys(variables) as ConfigVariable[]) {
    const { schema, hint } = variables[variable];
    const result = schema.safeParse(env[variable]);
    if (result.success) parsed[variable] = result.data;
    else
      problems.push({
        variable,
        message: result.error.issues.map((i) => i.message).join('; '),
        hint,
      });
  }
  if (problems.length === 0) problems.push(...postgresProblems(parsed as Parsed));
  if (problems.length > 0) throw new ConfigError(problems);
  const v = parsed as Parsed;
  const dataDir = path.resolve(v.DATA_DIR);
  const backend: StorageBackend =
    v.DATABASE_URL === null
      ? { kind: 'sqlite', dataDir }
      : {
          kind: 'postgres',
          url: v.DATABASE_URL,
          schema: v.DATABASE_SCHEMA,
          poolSize: v.DATABASE_POOL_SIZE,
          ssl: v.DATABASE_SSL ?? 'off',
          sslCaFile: v.DATABASE_SSL_CA,
        };
  return deepFreeze({
    port: v.PORT,
    host: v.HOST,
    dataDir,
    logLevel: v.LOG_LEVEL,
    webDistDir: path.resolve(v.WEB_DIST_DIR),
    limits: {
      wsMaxMessageBytes: v.WS_MAX_MESSAGE_BYTES,
      wsMaxAwarenessBytes: v.WS_MAX_AWARENESS_BYTES,
      wsMessagesPerSecond: v.WS_MESSAGES_PER_SECOND,
      wsMessageBurst: v.WS_MESSAGE_BURST,
      wsBytesPerSecond: v.WS_BYTES_PER_SECOND,
      wsConnectsPerMinute: v.WS_CONNECTS_PER_MINUTE,
      maxDocBytes: v.MAX_DOC_BYTES,
      maxClientsPerDoc: v.MAX_CLIENTS_PER_DOC,
      maxConnectionsPerIp: v.MAX_CONNECTIONS_PER_IP,
      restBodyLimitBytes: v.REST_BODY_LIMIT_BYTES,
      restRequestsPerMinute: v.REST_REQUESTS_PER_MINUTE,
    },
    storage: {
      backend,
      sqliteSynchronous: v.SQLITE_SYNCHRONOUS,
      fanoutOrder: v.FANOUT_ORDER,
      flushWindowMs: v.FLUSH_WINDOW_MS,
      compactAfterUpdates: v.COMPACT_AFTER_UPDATES,
      unloadDelayMs: v.UNLOAD_DELAY_MS,
    },
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
  });
}

/**
 * Settings that contradict each other: the driver lets `sslmode` in the URL override
 * DATABASE_SSL silently, so both at once is refused rather than guessed.
 */
function postgresProblems(
  v: Parsed,
): { variable: ConfigVariable; message: string; hint: string }[] {
  const problems: { variable: ConfigVariable; message: string; hint: string }[] = [];
  if (v.DATABASE_URL !== null && v.DATABASE_SSL !== null && /[?&]sslmode=/i.test(v.DATABASE_URL)) {
    problems.push({
      variable: 'DATABASE_SSL',
      message: 'DATABASE_URL has an sslmode parameter too, and it would win',
      hint: 'remove sslmode from DATABASE_URL and keep DATABASE_SSL, or unset DATABASE_SSL',
    });
  }
  if (v.DATABASE_SSL_CA !== null && v.DATABASE_SSL !== 'verify') {
    problems.push({
      variable: 'DATABASE_SSL_CA',
      message: 'a CA file is only used when certificates are checked',
      hint: 'set DATABASE_SSL=verify as well, or unset DATABASE_SSL_CA',
    });
  }
  return problems;
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}
