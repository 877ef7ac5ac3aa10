import { isUtf8 } from 'node:buffer';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MARKDOWN_NESTING } from '../src/api/markdownLimits.ts';
import {
  type TestServer,
  assertOtherRoomsWork,
  createDoc,
  maxLoopDelayDuring,
  startServer,
} from './support.ts';

/**
 * Markdown bombs against the import routes (reliability.md R13): huge bodies, 10,000-deep
 * nesting, invalid UTF-8 and NULs. Each case checks the answer, that the process still serves
 * other rooms, and that the event loop never stalled for 200 ms.
 */

const MiB = 1024 * 1024;
const BODY_LIMIT = 5 * MiB;
const TIME_BUDGET_MS = 2000;

interface Target {
  readonly name: string;
  readonly method: 'POST' | 'PUT';
  readonly path: () => Promise<string>;
}

describe('markdown bombs (R13)', () => {
  let server: TestServer;
  let targets: Target[];
  beforeAll(async () => {
    server = await startServer({ REST_BODY_LIMIT_BYTES: String(BODY_LIMIT) });
    targets = [
      { name: 'POST /api/docs', method: 'POST', path: () => Promise.resolve('/api/docs') },
      {
        name: 'PUT /api/docs/:id/markdown',
        method: 'PUT',
        path: async () => `/api/docs/${await createDoc(server.app)}/markdown`,
      },
    ];
    // warm the codec up (JIT), so that the lag measured below is the bombs', not a cold start
    for (let n = 0; n < 3; n++) {
      await send(targets[0]!, `# Warm\n\n> quote\n\n- a\n  - b\n    - c\n`);
    }
  });
  afterAll(async () => {
    await server.close();
  });

  async function send(target: Target, body: string | Buffer) {
    const res = await fetch(`${server.url}${await target.path()}`, {
      method: target.method,
      headers: { 'content-type': 'text/markdown; charset=utf-8' },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, bytes, text: bytes.toString('utf8') };
  }

  /** Runs `attack`, then checks lag, liveness and other rooms. */
  async function survives(attack: () => Promise<void>): Promise<number> {
    const started = Date.now();
    const lag = await maxLoopDelayDuring(attack);
    const took = Date.now() - started;
    expect(lag, 'event-loop lag (ms)').toBeLessThan(200);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    await assertOtherRoomsWork(server);
    return took;
  }

  /**
   * Streams `total` bytes of body (declared with content-length, or chunked) and stops as soon
   * as the server answers: returns the status line and how much had been sent by then.
   */
  function streamBody(
    path: string,
    method: string,
    total: number,
    chunked: boolean,
  ): Promise<{ statusLine: string; sentBytes: number }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(server.port, '127.0.0.1');
      const chunk = Buffer.alloc(256 * 1024, 'a');
      let sent = 0;
      let response = '';
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        resolve({ statusLine: response.split('\r\n')[0] ?? '', sentBytes: sent });
      };
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no answer after ${sent} bytes`));
      }, 20_000);
      socket.on('data', (d: Buffer) => {
        response += d.toString('latin1');
        if (response.includes('\r\n\r\n')) finish();
      });
      socket.on('error', finish);
      socket.on('close', finish);
      const pump = () => {
        while (!done && sent < total) {
          sent += chunk.length;
          const frame = chunked
            ? Buffer.concat([
                Buffer.from(`${chunk.length.toString(16)}\r\n`),
                chunk,
                Buffer.from('\r\n'),
              ])
            : chunk;
          if (!socket.write(frame)) {
            socket.once('drain', pump);
            return;
          }
        }
        if (!done && chunked) socket.write('0\r\n\r\n');
      };
      socket.on('connect', () => {
        socket.write(
          `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/markdown\r\n` +
            (chunked ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${total}\r\n`) +
            '\r\n',
        );
        pump();
      });
    });
  }

  it('refuses a 60 MB body with 413 before reading it all, declared or chunked (R13)', async () => {
    const total = 60 * MiB;
    const rssBefore = process.memoryUsage().rss;
    const figures: string[] = [];
    await survives(async () => {
      for (const target of targets) {
        for (const chunked of [false, true]) {
          const { statusLine, sentBytes } = await streamBody(
            await target.path(),
            target.method,
            total,
            chunked,
          );
          expect(statusLine, `${target.name} chunked=${chunked}`).toBe(
            'HTTP/1.1 413 Payload Too Large',
          );
          expect(sentBytes, 'answered before the whole body was sent').toBeLessThan(total);
          figures.push(
            `${target.name}${chunked ? ' chunked' : ''}: ${(sentBytes / MiB).toFixed(1)} MiB sent`,
          );
        }
      }
    });
    const grewMiB = (process.memoryUsage().rss - rssBefore) / MiB;
    expect(grewMiB, 'RSS growth (MiB), not 4 × 60 MB buffered').toBeLessThan(120);
    console.log(`R13 60 MB: ${figures.join('; ')}; RSS +${grewMiB.toFixed(1)} MiB`);
  });

  const bombs: Record<string, () => string> = {
    "'>'.repeat(10000)": () => `${'>'.repeat(10_000)} deep\n`,
    "'> '.repeat(10000)": () => `${'> '.repeat(10_000)}deep\n`,
    "'- '.repeat(10000)": () => `${'- '.repeat(10_000)}deep\n`,
    "'1. '.repeat(10000)": () => `${'1. '.repeat(10_000)}deep\n`,
    'indented nested list, 1500 levels': () =>
      Array.from({ length: 1500 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n'),
    'tab-indented nested list, 3000 levels': () =>
      Array.from(
        { length: 3000 },
        (_, i) => `${'\t'.repeat(Math.floor(i / 2))}${i % 2 ? '*' : '-'} l${i}`,
      ).join('\n'),
    'mixed quotes and lists, 10000 levels': () => `${'> - '.repeat(5000)}deep\n`,
  };

  for (const [name, build] of Object.entries(bombs)) {
    it(`refuses ${name} with 422 naming the nesting limit, no stack overflow (R13)`, async () => {
      const body = build();
      const took = await survives(async () => {
        for (const target of targets) {
          const res = await send(target, body);
          expect(res.status, `${target.name}: ${res.text.slice(0, 200)}`).toBe(422);
          const json = JSON.parse(res.text) as { error: string; message: string };
          expect(json.error).toBe('markdown_too_deep');
          expect(json.message).toContain(`limit is ${MAX_MARKDOWN_NESTING} levels`);
        }
      });
      expect(took).toBeLessThan(TIME_BUDGET_MS);
    });
  }

  it('imports nesting just under the limit within the time budget (R13)', async () => {
    const depth = MAX_MARKDOWN_NESTING - 10;
    const bodies = [
      `# Deep\n\n${'> '.repeat(depth)}quoted\n`,
      `# Deep\n\n${Array.from({ length: depth / 2 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')}\n`,
    ];
    const took = await survives(async () => {
      for (const target of targets) {
        for (const body of bodies) {
          const res = await send(target, body);
          expect(res.status, res.text.slice(0, 200)).toBe(target.method === 'POST' ? 201 : 200);
        }
      }
    });
    expect(took).toBeLessThan(TIME_BUDGET_MS);
    console.log(`R13 depth ${depth}: 4 imports in ${took} ms`);
  });

  it('refuses invalid UTF-8 with 400 naming the problem (R13)', async () => {
    const invalid = [
      Buffer.from([0x23, 0x20, 0x41, 0xff, 0xfe, 0x0a]), // bytes that are never UTF-8
      Buffer.from([0x23, 0x20, 0xc3, 0x28, 0x0a]), // a broken two-byte sequence
      Buffer.from([0x23, 0x20, 0xed, 0xa0, 0x80, 0x0a]), // an encoded surrogate
      Buffer.from([0x23, 0x20, 0xc0, 0xaf, 0x0a]), // an overlong "/"
      Buffer.concat([Buffer.from('# Title\n\n'), Buffer.from([0xe2, 0x82])]), // truncated at the end
    ];
    await survives(async () => {
      for (const target of targets) {
        for (const body of invalid) {
          const res = await send(target, body);
          expect(res.status, `${target.name} ${body.toString('hex')}`).toBe(400);
          const json = JSON.parse(res.text) as { error: string; message: string };
          expect(json.error).toBe('invalid_utf8');
          expect(json.message).toMatch(/not valid UTF-8/);
        }
      }
    });
    // valid multi-byte UTF-8 is still accepted
    const ok = await send(targets[0]!, Buffer.from('# Ünïcødé ✓ 🚀\n', 'utf8'));
    expect(ok.status).toBe(201);
  });

  it('imports NULs and exports valid UTF-8 (R13)', async () => {
    const body = `# Nul\u0000title\n\nText with a \u0000 NUL and \u0000\u0000 two.\n\n- item\u0000\n`;
    await survives(async () => {
      for (const target of targets) {
        const res = await send(target, body);
        expect(res.status, res.text).toBe(target.method === 'POST' ? 201 : 200);
        const id = (JSON.parse(res.text) as { id: string }).id; // both answer the summary
        const exported = await fetch(`${server.url}/api/docs/${id}/markdown`);
        expect(exported.status).toBe(200);
        const bytes = Buffer.from(await exported.arrayBuffer());
        expect(isUtf8(bytes), 'export is valid UTF-8').toBe(true);
        expect(bytes.toString('utf8')).toContain('NUL');
      }
    });
  });
});
