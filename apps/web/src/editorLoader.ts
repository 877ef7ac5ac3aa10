import type * as EditorModule from './editor/DocumentPage.tsx';

/**
 * The editor route's chunk, loaded on demand. Not React.lazy: a Suspense fallback holds the
 * content back for at least 300 ms once shown, which is a third of the time to interactive.
 */

let loaded: typeof EditorModule | null = null;
let loading: Promise<typeof EditorModule> | null = null;

export function loadEditor(): Promise<typeof EditorModule> {
  loading ??= import('./editor/DocumentPage.tsx').then((module) => (loaded = module));
  return loading;
}

export const loadedEditor = (): typeof EditorModule | null => loaded;
