import {
  createContext,
  useContext,
  useEffect,
  useReducer,
  useState,
  useSyncExternalStore,
} from 'react';
import * as Y from 'yjs';
import { orderedEntries } from '@syspat/ydoc';
import type { DocSession, SessionState } from './DocSession.ts';
import type { Peer } from './PresenceStore.ts';

export const SessionContext = createContext<DocSession | null>(null);

export function useSession(): DocSession {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside a document');
  return session;
}

export function useSessionState(): SessionState {
  const session = useSession();
  return useSyncExternalStore(session.subscribe, session.getState);
}

export function usePeers(): readonly Peer[] {
  const { presence } = useSession();
  return useSyncExternalStore(presence.subscribe, presence.getPeers);
}

export function usePeersIn(key: string): readonly Peer[] {
  const { presence } = useSession();
  return useSyncExternalStore(presence.subscribe, () => presence.peersIn(key));
}

/** Re-renders when a key of `map` is set or deleted (not when something inside it changes). */
export function useYMapKeys(map: Y.Map<unknown> | null): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (map === null) return;
    const handle = () => bump();
    map.observe(handle);
    return () => map.unobserve(handle);
  }, [map]);
}

/** The child of `map` at `key` when it is an instance of `type`, re-read when the key changes. */
export function useYChild<T>(
  map: Y.Map<unknown> | null,
  key: string,
  type: abstract new (...args: never[]) => T,
): T | null {
  useYMapKeys(map);
  const value = map?.get(key);
  return value instanceof type ? value : null;
}

export function useYMapChild(map: Y.Map<unknown> | null, key: string): Y.Map<unknown> | null {
  return useYChild<Y.Map<unknown>>(map, key, Y.Map);
}

export function useYArrayChild(map: Y.Map<unknown> | null, key: string): Y.Array<unknown> | null {
  return useYChild<Y.Array<unknown>>(map, key, Y.Array);
}

export function useYTextChild(map: Y.Map<unknown> | null, key: string): Y.Text | null {
  return useYChild(map, key, Y.Text);
}

/** The string content of a Y.Text, kept current. */
export function useYTextValue(text: Y.Text | null): string {
  const [value, setValue] = useState(() => text?.toJSON() ?? '');
  useEffect(() => {
    if (text === null) {
      setValue('');
      return;
    }
    setValue(text.toJSON());
    const handle = () => setValue(text.toJSON());
    text.observe(handle);
    return () => text.unobserve(handle);
  }, [text]);
  return value;
}

/** A plain (non-Yjs) value stored in a map, e.g. an extra section's `depth`. */
export function useYPlain(map: Y.Map<unknown> | null, key: string): unknown {
  useYMapKeys(map);
  return map?.get(key);
}

const uids = new WeakMap<object, number>();
let nextUid = 1;

/** A stable key for a Yjs type instance (React keys, signatures). */
export function uidOf(value: object): number {
  let uid = uids.get(value);
  if (uid === undefined) {
    uid = nextUid++;
    uids.set(value, uid);
  }
  return uid;
}

const signatureOf = (entries: readonly Y.Map<unknown>[]): string =>
  entries.map((e) => uidOf(e)).join(',');

/**
 * The entries of a layout list in display order (`orderedEntries`: by order key, not Y.Array
 * position). Re-renders when an entry is added, removed or moved, not on typing inside one.
 */
export function useOrderedEntries(list: Y.Array<unknown> | null): readonly Y.Map<unknown>[] {
  const [entries, setEntries] = useState<readonly Y.Map<unknown>[]>(() =>
    list === null ? [] : orderedEntries(list),
  );
  useEffect(() => {
    if (list === null) {
      setEntries([]);
      return;
    }
    let current = orderedEntries(list);
    let signature = signatureOf(current);
    setEntries(current);
    const handle = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      const structural = events.some(
        (event) =>
          event.target === list ||
          (event.target.parent === list &&
            event instanceof Y.YMapEvent &&
            event.keysChanged.has('order')),
      );
      if (!structural) return;
      current = orderedEntries(list);
      const next = signatureOf(current);
      if (next === signature) return;
      signature = next;
      setEntries(current);
    };
    list.observeDeep(handle);
    return () => list.unobserveDeep(handle);
  }, [list]);
  return entries;
}

/** The entry's `id` (ids are plain strings in the layout). */
export function entryId(entry: Y.Map<unknown>): string {
  const id = entry.get('id');
  return typeof id === 'string' ? id : `missing-${uidOf(entry)}`;
}
