import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { WebSocketServer } from 'ws';
import { parseDocId } from '../docId.ts';
import { type AppError, invalidDocId, routeNotFound } from '../errors.ts';

const PREFIX = '/collab/';

/**
 * `GET /collab/:docId` upgrades to the y-websocket protocol.
 *
 * Upgrades are handled on the HTTP server's 'upgrade' event, before Fastify routing: everything
 * decidable from the request (id grammar after full decoding, shutdown, per-address limits) is
 * refused with an HTTP status written on the raw socket before any websocket exists, and an
 * accepted socket keeps nothing of the HTTP request alive (Fastify's request and reply objects
 * would cost ~5 KB per connection). Everything later is answered with a close code by
 * `CollabServer`.
 */
export const collabRoutes: FastifyPluginAsync = (app) => {
  const { collab, config, metrics } = app;
  const log = app.log.child({ component: 'upgrade' });
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: config.limits.wsMaxMessageBytes,
  });

  const refuse = (request: IncomingMessage, socket: Duplex, error: AppError) => {
    const requestId = randomUUID();
    log.warn(
      {
        reqId: requestId,
        url: (request.url ?? '').slice(0, 200),
        ip: request.socket.remoteAddress,
        code: error.code,
      },
      `websocket refused: ${error.message}`,
    );
    const body = JSON.stringify({ error: error.code, message: error.message });
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'x-request-id': requestId,
      connection: 'close',
      ...error.headers,
    };
    socket.end(
      `HTTP/1.1 ${error.statusCode} ${STATUS_CODES[error.statusCode] ?? ''}\r\n` +
        Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('') +
        `\r\n${body}`,
    );
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Until ws owns the socket, an error on it must not crash the process.
    const onSocketError = () => socket.destroy();
    socket.on('error', onSocketError);
    const pathname = (request.url ?? '').split('?')[0] ?? '';
    if (pathname !== '/collab' && !pathname.startsWith(PREFIX)) {
      refuse(request, socket, routeNotFound('GET', pathname.slice(0, 200)));
      return;
    }
    const rawId = pathname.slice(PREFIX.length);
    const docId = rawId.includes('/') ? undefined : parseDocId(rawId);
    if (docId === undefined) {
      metrics.rejected.inc(1, { limit: 'doc_id' });
      refuse(request, socket, invalidDocId());
      return;
    }
    const ip = request.socket.remoteAddress ?? 'unknown';
    // Node caches the peer address object on the socket; the connection keeps its own (shared)
    // copy of the address, so drop the cache rather than hold a second copy per socket.
    delete (request.socket as { _peername?: unknown })._peername;
    const refusal = collab.admitUpgrade(ip);
    if (refusal !== undefined) {
      refuse(request, socket, refusal);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', onSocketError);
      collab.handleConnection(ws, { docId, ip });
    });
  };

  app.server.on('upgrade', onUpgrade);
  app.addHook('preClose', async () => {
    app.server.off('upgrade', onUpgrade);
    await collab.shutdown();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
  return Promise.resolve();
};
