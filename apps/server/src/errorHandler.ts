import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, badRequest, internalError } from './errors.ts';

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
  503: 'service_unavailable',
};

/** The one error handler: every failure leaves as `{ error, message }` with its status. */
export function errorHandler(
  err: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  let appError: AppError;
  if (err instanceof AppError) {
    appError = err;
  } else if (err instanceof z.ZodError) {
    appError = badRequest(z.prettifyError(err));
  } else {
    const status = (err as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      appError = new AppError(CODE_BY_STATUS[status] ?? 'bad_request', status, err.message);
    } else {
      request.log.error({ err }, 'request failed');
      appError = internalError();
    }
  }
  if (appError.statusCode === 413 || appError.statusCode === 429) {
    request.log.warn({ code: appError.code, url: request.url }, appError.message);
  }
  void reply
    .code(appError.statusCode)
    .headers(appError.headers)
    .type('application/json; charset=utf-8')
    .send({ error: appError.code, message: appError.message });
}
