import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importMarkdown } from './importMarkdown.ts';
import { dismissToast } from './toasts.ts';

/** Issue 9: file picker, drop and paste name a document the same way and say what was found. */
describe('importMarkdown', () => {
  const requests: string[] = [];

  beforeEach(() => {
    requests.length = 0;
    // the report toast schedules its own dismissal; no timers are needed here
    vi.stubGlobal('window', { setTimeout: () => 0 });
    vi.stubGlobal('fetch', (url: string) => {
      requests.push(url);
      const title = new URL(url, 'http://x').searchParams.get('title') ?? 'Lumen';
      const body = {
        id: 'abc',
        title,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        report: { text: '3 components, 1 diagram' },
      };
      return Promise.resolve(new Response(JSON.stringify(body), { status: 201 }));
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    for (let id = 0; id < 100; id++) dismissToast(id);
  });

  it('leaves the name to a heading that names the document, whatever the file is called', async () => {
    const doc = await importMarkdown(
      '# System Patterns: Lumen\n\n## Core Components\n',
      'notes.md',
    );
    expect(requests).toEqual(['/api/docs']);
    expect(doc.report?.text).toBe('3 components, 1 diagram');
  });

  it('names a file without a naming heading after the file', async () => {
    await importMarkdown('# System Patterns\n\n## Core Components\n', 'billing-service.md');
    expect(requests).toEqual(['/api/docs?title=billing-service']);
  });

  it('sends no name for pasted text: the server reads its heading', async () => {
    await importMarkdown('# Payments\n\n## Core Components\n');
    expect(requests).toEqual(['/api/docs']);
  });
});
