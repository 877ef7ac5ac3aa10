/** The documents REST API (`apps/server`, under /api). */

export interface DocSummary {
  readonly id: string;
  readonly title: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the server says a markdown import recognized (`importReport` of @syspat/markdown). */
export interface ImportedDoc extends DocSummary {
  readonly report?: { readonly text: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(
      0,
      'network',
      'The server cannot be reached. Check your connection and try again.',
    );
  }
  if (response.ok) return response;
  let code = 'http_error';
  let message = `The server answered ${response.status}.`;
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: keep the generic message
  }
  throw new ApiError(response.status, code, message);
}

const isSummary = (value: unknown): value is DocSummary => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.title === 'string' &&
    typeof v.createdAt === 'string' &&
    typeof v.updatedAt === 'string'
  );
};

async function summaryOf(response: Response): Promise<DocSummary> {
  const body: unknown = await response.json();
  if (!isSummary(body))
    throw new ApiError(500, 'bad_response', 'The server sent an unexpected answer.');
  return body;
}

export async function listDocs(): Promise<DocSummary[]> {
  const response = await request('/api/docs');
  const body = (await response.json()) as { docs?: unknown };
  const docs = Array.isArray(body.docs) ? body.docs.filter(isSummary) : [];
  return docs.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
}

export async function getDoc(id: string): Promise<DocSummary> {
  return summaryOf(await request(`/api/docs/${encodeURIComponent(id)}`));
}

export async function createDoc(title?: string): Promise<DocSummary> {
  const response = await request('/api/docs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(title === undefined ? {} : { title }),
  });
  return summaryOf(response);
}

/**
 * Creates a document from markdown; the name defaults to the file's `#` heading. A given title
 * is written into that heading by the server, so the list and the document agree.
 */
export async function importDoc(markdown: string, title?: string): Promise<ImportedDoc> {
  const query = title === undefined ? '' : `?title=${encodeURIComponent(title)}`;
  const response = await request(`/api/docs${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/markdown; charset=utf-8' },
    body: markdown,
  });
  const body: unknown = await response.clone().json();
  const summary = await summaryOf(response);
  const report = (body as { report?: { text?: unknown } }).report;
  return typeof report?.text === 'string' ? { ...summary, report: { text: report.text } } : summary;
}

/**
 * Renames a document. The server rewrites its `#` heading too, unless `heading` is false (the
 * editor already changed the heading itself, as an undoable edit).
 */
export async function renameDoc(
  id: string,
  title: string,
  { heading = true }: { readonly heading?: boolean } = {},
): Promise<DocSummary> {
  const response = await request(`/api/docs/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(heading ? { title } : { title, heading: false }),
  });
  return summaryOf(response);
}

export async function deleteDoc(id: string): Promise<void> {
  await request(`/api/docs/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export async function getMarkdown(id: string): Promise<string> {
  const response = await request(`/api/docs/${encodeURIComponent(id)}/markdown`, {
    cache: 'no-store',
  });
  return response.text();
}

const MAX_TITLE = 200;

/** A copy under "Copy of …", made from the document's exported markdown. */
export async function duplicateDoc(doc: DocSummary): Promise<DocSummary> {
  const markdown = await getMarkdown(doc.id);
  return importDoc(markdown, `Copy of ${doc.title}`.slice(0, MAX_TITLE));
}

/** A title for a document imported from a file: the file name without `.md`. */
export function titleFromFileName(name: string): string | undefined {
  const base = [...name.replace(/\.(md|markdown|txt)$/i, '')]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c))
    .join('')
    .trim();
  return base === '' ? undefined : base.slice(0, MAX_TITLE);
}
