import type * as Y from 'yjs';
import { newerLayout, noLayoutMigration } from './errors.ts';
import { getRoot } from './layout.ts';

/**
 * The version of the Yjs layout (layout.ts) a document was written with. It lives in the
 * document itself, `meta.schemaVersion` in a top-level `Y.Map` named `meta`, written when a
 * document is built, so every client and server that opens it can tell whether it understands
 * it. Documents built before that field existed carry `syspat.version: 1` only; they are layout 1.
 */
export const LAYOUT_VERSION = 1;

export const META_NAME = 'meta';
const SCHEMA_VERSION_KEY = 'schemaVersion';

/**
 * One step of the layout's history: rewrites a document of layout `from` into `from + 1`, inside
 * the migration's transaction. Migrations run wherever a document is loaded or opened (the
 * server and every client), possibly at the same time on several peers, so a step must converge
 * when it runs twice concurrently: set keys to values computed from the document alone, never
 * insert what a second run would insert again.
 */
export interface LayoutMigration {
  readonly from: number;
  readonly description: string;
  readonly migrate: (ydoc: Y.Doc) => void;
}

/** Every layout migration, oldest first. Empty: layout 1 is the first versioned layout. */
export const layoutMigrations: readonly LayoutMigration[] = [];

/** 'newer': written by a later syspat; open it read-only and do not migrate or patch it. */
export type LayoutStatus = 'current' | 'outdated' | 'newer';

export interface LayoutOptions {
  readonly migrations?: readonly LayoutMigration[];
  /** The layout to reach; tests of the machinery use their own. */
  readonly target?: number;
}

/** The layout version a document declares; null for an empty Y.Doc (nothing written yet). */
export function readLayoutVersion(ydoc: Y.Doc): number | null {
  const declared = ydoc.getMap<unknown>(META_NAME).get(SCHEMA_VERSION_KEY);
  if (typeof declared === 'number' && Number.isInteger(declared) && declared >= 1) return declared;
  const root = getRoot(ydoc);
  if (root.size === 0) return null;
  const legacy = root.get('version');
  return typeof legacy === 'number' && Number.isInteger(legacy) && legacy >= 1 ? legacy : 1;
}

/** Stamps the document with the current layout version (inside the caller's transaction). */
export function writeLayoutVersion(ydoc: Y.Doc, version: number = LAYOUT_VERSION): void {
  const meta = ydoc.getMap<unknown>(META_NAME);
  if (meta.get(SCHEMA_VERSION_KEY) !== version) meta.set(SCHEMA_VERSION_KEY, version);
}

/**
 * Whether this build may edit the document: 'current' (yes), 'outdated' (after
 * `migrateDocument`), 'newer' (no: a later syspat wrote it; show it read-only). An empty Y.Doc
 * is 'current': building it writes the current version.
 */
export function documentLayoutStatus(ydoc: Y.Doc, options: LayoutOptions = {}): LayoutStatus {
  const version = readLayoutVersion(ydoc);
  const target = options.target ?? LAYOUT_VERSION;
  if (version === null || version === target) return 'current';
  return version > target ? 'newer' : 'outdated';
}

/**
 * Runs the migrations a document needs, in one transaction with `origin` (so a server stores and
 * sends it like any other write), and says what it found: 'current' (nothing written),
 * 'migrated', or 'newer' (nothing written; the caller must not edit it).
 */
export function migrateDocument(
  ydoc: Y.Doc,
  origin: unknown = null,
  options: LayoutOptions = {},
): 'current' | 'migrated' | 'newer' {
  const status = documentLayoutStatus(ydoc, options);
  if (status !== 'outdated') return status;
  const migrations = options.migrations ?? layoutMigrations;
  const target = options.target ?? LAYOUT_VERSION;
  const from = readLayoutVersion(ydoc) ?? target;
  const steps: LayoutMigration[] = [];
  for (let version = from; version < target; version++) {
    const step = migrations.find((m) => m.from === version);
    if (step === undefined) throw noLayoutMigration(version);
    steps.push(step);
  }
  ydoc.transact(() => {
    for (const step of steps) step.migrate(ydoc);
    writeLayoutVersion(ydoc, target);
  }, origin);
  return 'migrated';
}

/** Throws NEWER_LAYOUT when this build must not change the document. */
export function assertLayoutEditable(ydoc: Y.Doc): void {
  const version = readLayoutVersion(ydoc);
  if (version !== null && version > LAYOUT_VERSION) throw newerLayout(version, LAYOUT_VERSION);
}
