import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { pino, type Logger } from 'pino';
import { docsRoutes } from './api/docsRoutes.ts';
import { systemRoutes } from './api/systemRoutes.ts';
import { CollabServer } from './collab/CollabServer.ts';
import { collabRoutes } from './collab/collabRoutes.ts';
import type { Extension } from './collab/hooks.ts';
import type { Config } from './config.ts';
import { errorHandler } from './errorHandler.ts';
import { rateLimited, routeNotFound } from './errors.ts';
import { createServerMetrics, type ServerMetrics } from './metrics.ts';
import { layoutMigration } from './layoutMigration.ts';
import { KeyedRateLimiter } from './rateLimit.ts';
import { createStorage } from './storage/createStorage.ts';
import type { Storage } from './storage/Storage.ts';
import { hasWebApp, webRoutes } from './webRoutes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    storage: Storage;
    collab: CollabServer;
    metrics: ServerMetrics;
  }
}

export interface BuildAppOptions {
  /** Use this storage instead of `createStorage(config)` (tests inject faults this way). */
  readonly storage?: Storage;
  /** Use this logger instead of a new pino logger at `config.logLevel`. */
  readonly logger?: Logger;
  /** Sync-core extensions (authorization, fan-out to other instances), run in this order. */
  readonly extensions?: readonly Extension[];
}

/** Paths the request-rate limit does not count (probes and scrapers poll them). */
const UNLIMITED = new Set(['/api/health', '/api/metrics']);

/**
 * Builds the whole server without listening: REST under /api, the websocket at /collab/:docId,
 * and the web app at /. `app.close()` shuts down gracefully (flush, close sockets with 1012,
 * close storage). Tests call `app.inject()` or `app.listen({ port: 0 })`.
 */
export async function buildApp(config: Config, options: BuildAppOptions = {}) {
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'syspat' } });
  const app = Fastify({
    loggerInstance: logger,
    genReqId: () => randomUUID(),
    bodyLimit: config.limits.restBodyLimitBytes,
    trustProxy: false,
    // keep sockets short-lived on shutdown; websockets are closed by CollabServer
    forceCloseConnections: 'idle',
  });

  const storage = options.storage ?? createStorage(config);
  const metrics = createServerMetrics();
  const collab = new CollabServer({
    storage,
    config,
    log: logger.child({ component: 'collab' }),
    metrics,
    extensions: [layoutMigration(logger), ...(options.extensions ?? [])],
  });
  metrics.registry.gauge(
    'syspat_ws_connections',
    'Open websocket connections',
    () => collab.stats().connections,
  );
  metrics.registry.gauge(
    'syspat_docs_loaded',
    'Documents loaded in memory',
    () => collab.stats().loadedDocs,
  );

  app.decorate('config', config);
  app.decorate('storage', storage);
  app.decorate('collab', collab);
  app.decorate('metrics', metrics);

  app.setErrorHandler(errorHandler);
  app.addContentTypeParser(
    ['text/markdown', 'text/plain'],
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, body);
    },
  );

  const requestRate = new KeyedRateLimiter(config.limits.restRequestsPerMinute);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    const pathname = request.url.split('?')[0] ?? '';
    if (pathname.startsWith('/api/') && !UNLIMITED.has(pathname)) {
      const wait = requestRate.hit(request.ip);
      if (wait > 0) {
        metrics.rejected.inc(1, { limit: 'request_rate' });
        throw rateLimited(wait);
      }
    }
    await Promise.resolve();
  });
  app.addHook('onResponse', async (_request, reply) => {
    metrics.httpRequests.inc(1, { status: `${Math.floor(reply.statusCode / 100)}xx` });
    await Promise.resolve();
  });

  await app.register(collabRoutes);
  await app.register(systemRoutes, { prefix: '/api' });
  await app.register(docsRoutes, { prefix: '/api' });
  if (hasWebApp(config.webDistDir)) {
    await app.register(webRoutes, { root: config.webDistDir });
  } else {
    app.log.info({ dir: config.webDistDir }, 'no built web app found; serving the API only');
  }
  app.setNotFoundHandler((request) => {
    throw routeNotFound(request.method, (request.url.split('?')[0] ?? '').slice(0, 200));
  });

  app.addHook('onClose', async () => {
    await collab.shutdown();
    requestRate.close();
    await storage.close();
  });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
