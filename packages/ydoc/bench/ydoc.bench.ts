/**
 * `pnpm exec tsx packages/ydoc/bench/ydoc.bench.ts [components]`: how long apply, read and patch
 * take on a generated document (500 component cards unless told), median of a few runs.
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { applyModel, patchModel, readModel } from '../src/index.ts';
import { buildLargeDocument } from '../src/buildDocument.ts';
import { cardsOf, editModel, withFreshIds } from '../src/editModel.ts';

const components = Number(process.argv[2] ?? 500);
const runs = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function time(setup: () => () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = setup();
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function filledDoc(): Y.Doc {
  const doc = new Y.Doc();
  applyModel(doc, model);
  return doc;
}

function updateBytes(doc: Y.Doc, change: () => void): number {
  let bytes = 0;
  const count = (update: Uint8Array) => (bytes += update.byteLength);
  doc.on('update', count);
  change();
  doc.off('update', count);
  return bytes;
}

const model = buildLargeDocument(components);
const oneField = editModel(model, (d) => {
  const card = cardsOf(d, 'components')[Math.floor(components / 2)];
  if (card) card.fields.purpose = `${card.fields.purpose ?? ''} (edited)`;
});
const reordered = editModel(model, (d) => cardsOf(d, 'components').reverse());
const imported = withFreshIds(oneField);

const rows: [string, number, string][] = [
  ['applyModel (empty Y.Doc)', time(() => () => applyModel(new Y.Doc(), model)), ''],
  [
    'readModel',
    time(() => {
      const doc = filledDoc();
      return () => readModel(doc);
    }),
    '',
  ],
  [
    'patchModel, nothing changed',
    time(() => {
      const doc = filledDoc();
      return () => patchModel(doc, model);
    }),
    `${(() => {
      const doc = filledDoc();
      return updateBytes(doc, () => patchModel(doc, model));
    })()} B update`,
  ],
  [
    'patchModel, one field',
    time(() => {
      const doc = filledDoc();
      return () => patchModel(doc, oneField);
    }),
    `${(() => {
      const doc = filledDoc();
      return updateBytes(doc, () => patchModel(doc, oneField));
    })()} B update`,
  ],
  [
    'patchModel, cards reversed',
    time(() => {
      const doc = filledDoc();
      return () => patchModel(doc, reordered);
    }),
    `${(() => {
      const doc = filledDoc();
      return updateBytes(doc, () => patchModel(doc, reordered));
    })()} B update`,
  ],
  [
    'patchModel, fresh-id import + one field',
    time(() => {
      const doc = filledDoc();
      return () => patchModel(doc, imported);
    }),
    `${(() => {
      const doc = filledDoc();
      return updateBytes(doc, () => patchModel(doc, imported));
    })()} B update`,
  ],
  [
    'Y.encodeStateAsUpdate',
    time(() => {
      const doc = filledDoc();
      return () => Y.encodeStateAsUpdate(doc);
    }),
    `${Y.encodeStateAsUpdate(filledDoc()).byteLength} B state`,
  ],
  [
    'load: Y.applyUpdate + readModel',
    time(() => {
      const update = Y.encodeStateAsUpdate(filledDoc());
      return () =>
        readModel(
          (() => {
            const d = new Y.Doc();
            Y.applyUpdate(d, update);
            return d;
          })(),
        );
    }),
    '',
  ],
];

console.log(
  `@syspat/ydoc, ${components} component cards, median of ${runs} runs (node ${process.version})`,
);
for (const [name, ms, note] of rows)
  console.log(`${name.padEnd(42)} ${ms.toFixed(2).padStart(9)} ms  ${note}`);
