import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { parseDocId } from '../docId.ts';
import { invalidDocId } from '../errors.ts';

/**
 * `GET /collab/:docId` upgrades to the y-websocket protocol. Everything that can be decided
 * from the request (id grammar, shutdown, per-address limits) is refused with an HTTP status
 * before the upgrade; the rest is answered with a close code by `CollabServer`.
 */
export const collabRoutes: FastifyPluginAsync = (app) => {
  const collab = app.collab;

  const checkUpgrade = (request: FastifyRequest<{ Params: { docId?: string } }>): Promise<void> => {
    const docId = parseDocId(request.params.docId ?? '');
    if (docId === undefined) {
      app.metrics.rejected.inc(1, { limit: 'doc_id' });
      request.log.warn({ url: request.url.slice(0, 200) }, 'websocket refused: invalid document id');
      return Promise.reject(invalidDocId());
    }
    const refusal = collab.admitUpgrade(request.ip);
    return refusal === undefined ? Promise.resolve() : Promise.reject(refusal);
  };

  app.get<{ Params: { docId: string } }>(
    '/collab/:docId',
    { websocket: true, preValidation: checkUpgrade },
    (socket, request) => {
      // checked in preValidation; parse again rather than trust a mutable field
      const docId = parseDocId(request.params.docId);
      if (docId === undefined) {
        socket.close(1008, 'invalid document id');
        return;
      }
      collab.handleConnection(socket, { docId, ip: request.ip });
    },
  );

  // Anything else under /collab (extra slashes, `..`, over-long ids) is a bad id, refused
  // before the upgrade rather than answered with a 404.
  app.get('/collab/*', { websocket: true, preValidation: () => Promise.reject(invalidDocId()) }, (socket) => {
    socket.close(1008, 'invalid document id');
  });
  app.get('/collab', { websocket: true, preValidation: () => Promise.reject(invalidDocId()) }, (socket) => {
    socket.close(1008, 'invalid document id');
  });
  return Promise.resolve();
};
