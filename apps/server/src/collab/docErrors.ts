/** The document does not exist in storage. */
export class DocMissingError extends Error {
  constructor(readonly docId: string) {
    super(`no document ${docId}`);
    this.name = 'DocMissingError';
  }
}

/** The document exists but could not be loaded (storage down, or corrupt data: quarantined). */
export class DocLoadError extends Error {
  constructor(
    readonly docId: string,
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'DocLoadError';
  }
}
