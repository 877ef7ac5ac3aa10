import { type DocumentEdge, invalidDocument, newerVersion, noMigration } from './errors.ts';
import { MODEL_VERSION } from './modelVersion.ts';
import { parseDocument } from './parseDocument.ts';
import type { SyspatDocument } from './types.ts';

/** One step of the model's history: turns a document of version `from` into version `from + 1`. */
export interface ModelMigration {
  readonly from: number;
  /** What changed, for the changelog and the test names. */
  readonly description: string;
  /** Gets a plain object of version `from`; returns one of version `from + 1`. Pure. */
  readonly migrate: (document: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

/**
 * Every model migration, oldest first. Empty: version 1 is the first versioned model. A change
 * of the model's shape bumps MODEL_VERSION and appends its migration here, with a fixture of a
 * document of the old version in the tests.
 */
export const modelMigrations: readonly ModelMigration[] = [];

export interface MigratedDocument {
  readonly document: SyspatDocument;
  /** The version the input had. */
  readonly from: number;
  readonly status: 'current' | 'migrated';
}

export interface MigrateOptions {
  readonly migrations?: readonly ModelMigration[];
  /** The version to reach; tests of the machinery use their own. */
  readonly target?: number;
  /** Validates the result (the current `documentSchema` by default). */
  readonly parse?: (input: unknown, edge: DocumentEdge) => SyspatDocument;
}

/**
 * Brings a document model of any version this build knows up to the current one and validates
 * it. A document of a newer version is refused (NEWER_VERSION): an older syspat must not change
 * what it does not understand.
 */
export function migrateModel(
  input: unknown,
  edge: DocumentEdge,
  options: MigrateOptions = {},
): MigratedDocument {
  const migrations = options.migrations ?? modelMigrations;
  const target = options.target ?? MODEL_VERSION;
  const parse = options.parse ?? parseDocument;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidDocument(edge, [{ path: '', message: 'expected an object' }]);
  }
  const from = (input as { version?: unknown }).version;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) {
    throw invalidDocument(edge, [{ path: 'version', message: 'expected a whole number' }]);
  }
  if (from > target) throw newerVersion(edge, from, target);
  let document = input as Record<string, unknown>;
  for (let version = from; version < target; version++) {
    const step = migrations.find((m) => m.from === version);
    if (step === undefined) throw noMigration(edge, version);
    document = { ...step.migrate(document), version: version + 1 };
  }
  return {
    document: parse(document, edge),
    from,
    status: from === target ? 'current' : 'migrated',
  };
}
