import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MalformedInputError, StateWorker } from './stateWorker.ts';

const serverDir = fileURLToPath(new URL('../../', import.meta.url));

/** Stored rows as the server keeps them: a snapshot, then updates from several editors. */
function storedRows(entries: number): { rows: Uint8Array[]; doc: Y.Doc } {
  const doc = new Y.Doc();
  const rows: Uint8Array[] = [];
  const list = doc.getArray<Y.Map<unknown>>('entries');
  doc.transact(() => {
    for (let i = 0; i < entries; i++) {
      const entry = new Y.Map<unknown>();
      entry.set('id', `e${i}`);
      entry.set('text', new Y.Text(`Entry ${i}: what it does`));
      list.push([entry]);
    }
  });
  rows.push(Y.encodeStateAsUpdate(doc));
  doc.on('update', (update: Uint8Array) => rows.push(update));
  for (let editor = 0; editor < 3; editor++) {
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update));
    const text = other.getArray<Y.Map<Y.Text>>('entries').get(editor)?.get('text');
    text?.insert(0, `editor ${editor} was here. `);
    other.getArray('entries').delete(10 + editor, 1);
  }
  return { rows, doc };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

/** Runs a module script in a fresh `node --import tsx`, resolving with its exit code and output. */
function runNode(script: string, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { cwd: serverDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('StateWorker', () => {
  const pools: StateWorker[] = [];
  const pool = (options?: ConstructorParameters<typeof StateWorker>[0]) => {
    const created = new StateWorker(options);
    pools.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it('prepares stored rows into a merged state and chunks that rebuild the doc', async () => {
    const { rows, doc } = storedRows(2000);
    const worker = pool();
    expect(worker.threadId).toBeUndefined(); // started lazily
    const prepared = await worker.prepare(rows, 1000);
    expect(worker.threadId).toBeTypeOf('number');

    expect(prepared.structs).toBe(Y.decodeUpdate(prepared.state).structs.length);
    expect(sameBytes(prepared.state, Y.mergeUpdates(rows))).toBe(true);
    expect(prepared.chunks).toHaveLength(Math.ceil(prepared.structs / 1000));
    for (const chunk of prepared.chunks) {
      expect(Y.decodeUpdate(chunk).structs.length).toBeLessThanOrEqual(1000);
    }
    const rebuilt = new Y.Doc();
    for (const chunk of prepared.chunks) Y.applyUpdate(rebuilt, chunk);
    expect(rebuilt.store.pendingStructs).toBeNull();
    expect(rebuilt.store.pendingDs).toBeNull();
    expect(rebuilt.getArray('entries').toJSON()).toEqual(doc.getArray('entries').toJSON());
    expect(sameBytes(Y.encodeStateVector(rebuilt), Y.encodeStateVector(doc))).toBe(true);
    expect(
      Y.equalDeleteSets(
        Y.createDeleteSetFromStructStore(rebuilt.store),
        Y.createDeleteSetFromStructStore(doc.store),
      ),
    ).toBe(true);
  });

  it('hands back a single row unmerged and leaves the caller its arrays', async () => {
    const doc = new Y.Doc();
    doc.getArray('a').insert(0, [1, 2, 3]);
    // a Buffer from Node's shared pool: transferring its buffer would take the pool along
    const row = Buffer.from(Y.encodeStateAsUpdate(doc));
    const before = Buffer.from(row);
    const prepared = await pool().prepare([row], 4000);
    expect(row.length).toBe(before.length);
    expect(row.equals(before)).toBe(true);
    expect(sameBytes(prepared.state, row)).toBe(true);
    expect(prepared.chunks).toHaveLength(1);
    expect(sameBytes(prepared.chunks[0] ?? new Uint8Array(), row)).toBe(true);
    expect(prepared.structs).toBe(1);
  });

  it('rejects a corrupt row with its index and the reason', async () => {
    const { rows } = storedRows(20);
    const corrupt = [...rows];
    corrupt[2] = new Uint8Array([1, 200, 200, 200, 1]); // declares far more structs than it holds
    const worker = pool();
    const failure = await worker.prepare(corrupt, 100).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(MalformedInputError);
    expect((failure as MalformedInputError).index).toBe(2);
    expect((failure as MalformedInputError).message).toMatch(/^row 2 is malformed: count/);
    // the thread is fine afterwards
    expect((await worker.prepare(rows, 10)).chunks.length).toBeGreaterThan(1);
  });

  it('merges like Y.mergeUpdates, and answers concurrent requests each with its own result', async () => {
    const { rows } = storedRows(200);
    const worker = pool();
    const slices = [rows, rows.slice(0, 2), rows.slice(1), [rows[0] ?? new Uint8Array()]];
    const merged = await Promise.all(slices.map((slice) => worker.merge(slice)));
    merged.forEach((update, i) => {
      const expected = Y.mergeUpdates(slices[i] ?? []);
      expect(sameBytes(update, expected), `slice ${i}`).toBe(true);
      const a = new Y.Doc();
      const b = new Y.Doc();
      Y.applyUpdate(a, update);
      for (const row of slices[i] ?? []) Y.applyUpdate(b, row);
      expect(a.getArray('entries').toJSON()).toEqual(b.getArray('entries').toJSON());
    });
    await expect(worker.merge([rows[0] ?? new Uint8Array(), new Uint8Array([9])])).rejects.toThrow(
      /^update 1 is malformed/,
    );
  });

  it('encodes a snapshot without the content of deleted items, unlike a plain merge', async () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const text = doc.getText('t');
    text.insert(0, 'kept; ');
    for (let i = 0; i < 50; i++) {
      text.insert(text.length, `a long paragraph that is typed and then removed again ${i}`);
      text.delete(6, text.length - 6);
    }
    const worker = pool();
    const snapshot = await worker.snapshot(updates);
    const merged = await worker.merge(updates);
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, snapshot);
    expect(rebuilt.getText('t').toJSON()).toBe('kept; ');
    expect(Y.encodeStateVector(rebuilt)).toEqual(Y.encodeStateVector(doc));
    expect(snapshot.length).toBeLessThan(merged.length / 10);
    expect(Buffer.from(snapshot).includes('a long paragraph')).toBe(false);
  });

  it('fails a request the thread does not answer in time, and serves the next from a fresh thread', async () => {
    const { rows } = storedRows(3000);
    const impatient = pool({ timeoutMs: 1 });
    await expect(impatient.prepare(rows, 100)).rejects.toThrow(/did not answer within 1 ms/);
    const patient = pool();
    expect((await patient.prepare(rows, 100)).chunks.length).toBeGreaterThan(1);
  });

  it('rejects what a dead thread owed and serves the next call from a fresh thread', async () => {
    const { rows } = storedRows(3000);
    const worker = pool();
    await worker.merge(rows.slice(0, 1));
    const first = worker.threadId;
    const inFlight = expect(worker.prepare(rows, 500)).rejects.toThrow(
      /state worker thread exited with code 1/,
    );
    await worker.terminateThreadForTests();
    await inFlight;
    const prepared = await worker.prepare(rows, 500);
    expect(prepared.chunks.length).toBeGreaterThan(1);
    expect(worker.threadId).not.toBe(first);
  });

  it('rejects with the reason when the thread dies of an error, and the process lives on', async () => {
    // 4 MB of heap is not enough to even load tsx and Yjs: the thread fails with
    // ERR_WORKER_OUT_OF_MEMORY, which is how a document too big for the limits would fail too.
    const worker = pool({
      resourceLimits: { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 },
    });
    await expect(worker.merge([new Uint8Array([0, 0])])).rejects.toThrow(
      /^state worker thread failed: .*memory/,
    );
    expect(worker.threadId).toBeUndefined();
    await expect(worker.merge([new Uint8Array([0, 0])])).rejects.toThrow(/memory/); // fresh thread
  });

  it('close() rejects what is in flight and every later call', async () => {
    const { rows } = storedRows(3000);
    const worker = pool();
    const inFlight = expect(worker.prepare(rows, 500)).rejects.toThrow('state worker closed');
    await worker.close();
    await inFlight;
    await expect(worker.merge(rows)).rejects.toThrow('state worker closed');
    expect(worker.threadId).toBeUndefined();
  });

  it('never keeps the process alive: exits after close(), and when idle without it', async () => {
    const url = new URL('./stateWorker.ts', import.meta.url).href;
    const script = (close: boolean) => `
      import { StateWorker } from ${JSON.stringify(url)};
      const worker = new StateWorker();
      const merged = await worker.merge([new Uint8Array([0, 0])]);
      console.log('merged', merged.length);
      ${close ? 'await worker.close();' : ''}
    `;
    for (const close of [true, false]) {
      const { code, out } = await runNode(script(close), 20_000);
      expect(out, `close ${close}`).toContain('merged 2');
      expect(code, `close ${close}: ${out}`).toBe(0);
    }
  });
});
