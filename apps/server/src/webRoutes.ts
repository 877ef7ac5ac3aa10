import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { routeNotFound } from './errors.ts';

/** True when `dir` holds a built single-page app. */
export const hasWebApp = (dir: string): boolean => fs.existsSync(path.join(dir, 'index.html'));

/**
 * Serves the built web app at `/`. Unknown GET paths without a file extension get index.html
 * (history fallback), so client-side routes survive a reload; /api and /collab never fall back.
 */
export const webRoutes: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  // wildcard: false registers one route per built file, so nothing outside `root` is reachable
  await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'] });
  app.get('/*', (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (
      pathname.startsWith('/api/') ||
      pathname === '/api' ||
      pathname.startsWith('/collab') ||
      path.extname(pathname) !== ''
    ) {
      throw routeNotFound('GET', pathname);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
};
