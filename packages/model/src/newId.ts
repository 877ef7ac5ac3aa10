const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** A random 12-character id (72 bits): unique within any document without coordination. */
export function newId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += alphabet[byte & 63];
  return id;
}

export type IdFactory = () => string;

/** Predictable ids for tests and reproducible output: `prefix1`, `prefix2`, ... */
export function sequentialIds(prefix = 'id'): IdFactory {
  let next = 0;
  return () => `${prefix}${++next}`;
}
