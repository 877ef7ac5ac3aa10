import type { SyspatDocument } from '@syspat/model';
import { announce } from '../lib/announce.ts';
import { showToast } from '../lib/toasts.ts';
import type { DocSession } from './DocSession.ts';
import { patch } from './modelEdits.ts';

/**
 * Applies a "Structure this" change to the live document as one undo step of this person,
 * through the Yjs binding (so everyone sees it at once), and says how to take it back.
 */
export function applyStructure(
  session: DocSession,
  what: string,
  change: (model: SyspatDocument) => SyspatDocument,
): void {
  patch(session, change);
  announce(`${what}: done`);
  showToast({ message: `${what}: done. Undo reverts it.` });
}

/** Loads the suggestion code (and the markdown parser it uses) only when a notes region needs it. */
export const loadSuggestions = () => import('./structureSuggestion.ts');
