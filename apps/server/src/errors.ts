/**
 * HTTP errors: every error the API returns is made by one of these factories, carries a stable
 * machine-readable `code` and an HTTP status, and is turned into `{ error, message }` by the one
 * error handler in `errorHandler.ts`. Never throw strings.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string) => new AppError('bad_request', 400, message);

export const invalidDocId = () =>
  new AppError(
    'invalid_doc_id',
    400,
    'Document ids are 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-".',
  );

export const docNotFound = (id: string) =>
  new AppError('not_found', 404, `No document with id "${id}".`);

export const routeNotFound = (method: string, url: string) =>
  new AppError('not_found', 404, `No route for ${method} ${url}.`);

export const payloadTooLarge = (limitBytes: number) =>
  new AppError(
    'payload_too_large',
    413,
    `The request body is larger than the limit of ${limitBytes} bytes.`,
  );

export const unsupportedMediaType = (contentType: string | undefined) =>
  new AppError(
    'unsupported_media_type',
    415,
    `Unsupported Content-Type "${contentType ?? ''}": send application/json or text/markdown.`,
  );

export const invalidMarkdown = (message: string) => new AppError('invalid_markdown', 422, message);

/** The model made from imported markdown fails the document schema (a bug of the import). */
export const invalidImport = (message: string) => new AppError('invalid_document', 422, message);

/** A stored document reads as a model that fails the document schema. */
export const invalidStoredDocument = (message: string) =>
  new AppError('invalid_stored_document', 500, message);

/** A newer syspat wrote the document's layout: this server may show it but must not change it. */
export const documentTooNew = (message: string) => new AppError('document_too_new', 409, message);

export const documentTooLarge = (limitBytes: number) =>
  new AppError(
    'document_too_large',
    413,
    `The document would exceed the limit of ${limitBytes} bytes.`,
  );

export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 429, 'Too many requests from this address; slow down.', {
    'retry-after': String(retryAfterSeconds),
  });

export const tooManyConnections = (limit: number) =>
  new AppError(
    'too_many_connections',
    429,
    `This address already holds ${limit} websocket connections.`,
    {
      'retry-after': '5',
    },
  );

export const shuttingDown = () =>
  new AppError('shutting_down', 503, 'The server is restarting; try again in a moment.', {
    'retry-after': '5',
  });

export const documentUnavailable = (id: string) =>
  new AppError(
    'document_unavailable',
    503,
    `Document "${id}" could not be loaded (storage failing, or its stored data is corrupt); see the server log.`,
    { 'retry-after': '10' },
  );

export const storageUnavailable = (message: string) =>
  new AppError('storage_unavailable', 503, message);

export const internalError = () =>
  new AppError('internal', 500, 'Something went wrong on the server.');
