import type { FastifyPluginAsync } from 'fastify';
import { buildOpenApi } from './openapi.ts';

/** /api/health, /api/metrics and /api/openapi.json. */
export const systemRoutes: FastifyPluginAsync = (app) => {
  const startedAt = Date.now();

  app.get('/health', async (_request, reply) => {
    const stats = app.collab.stats();
    const storage = await app.storage.ping();
    const status = stats.shuttingDown
      ? 'shutting_down'
      : storage && stats.storageHealthy
        ? 'ok'
        : 'degraded';
    return reply.code(status === 'ok' ? 200 : 503).send({
      status,
      storage: storage && stats.storageHealthy,
      connections: stats.connections,
      loadedDocs: stats.loadedDocs,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    });
  });

  app.get('/metrics', (_request, reply) => {
    void reply.type('text/plain; version=0.0.4; charset=utf-8').send(app.metrics.registry.render());
  });

  const openapi = buildOpenApi();
  app.get('/openapi.json', (_request, reply) => {
    void reply.type('application/json; charset=utf-8').send(openapi);
  });

  return Promise.resolve();
};
