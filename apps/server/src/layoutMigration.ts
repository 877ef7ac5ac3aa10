import { EXTENSION_ORIGIN } from '@syspat/protocol';
import type { Logger } from 'pino';
import type { Extension } from './collab/hooks.ts';
import { migrateLoadedDocument } from './documents.ts';

/**
 * Brings every document that opens up to the current layout. It runs as an `onLoadDocument`
 * hook, after the room tracks its updates, so the migration is stored and sent like any
 * server write; a document from a newer syspat is left as it is.
 */
export function layoutMigration(log: Logger): Extension {
  return {
    name: 'layout-migration',
    onLoadDocument: ({ docId, document }) => {
      migrateLoadedDocument(document, EXTENSION_ORIGIN, log.child({ docId }));
    },
  };
}
