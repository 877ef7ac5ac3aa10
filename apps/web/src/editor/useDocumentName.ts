import { useEffect, useRef, useState } from 'react';
import { headingForName, nameFromHeading } from '@syspat/markdown';
import { getRoot, setText } from '@syspat/ydoc';
import { getDoc, renameDoc } from '../lib/api.ts';
import { showError } from '../lib/toasts.ts';
import { useSession, useSessionState, useYTextChild, useYTextValue } from './hooks.ts';

/** How long the heading must stay unchanged before the document list follows it. */
const LISTING_DELAY_MS = 800;

/**
 * The document's name, from its one source: the `#` heading. Renaming rewrites the heading as
 * one undoable edit of this person; whenever this person changes the heading (a rename, typing
 * in it, undo, redo) the list's name follows a moment later. The listed name is shown only
 * until the document has loaded, or when its heading names nothing.
 */
export function useDocumentName(docId: string): {
  readonly name: string;
  readonly rename: (name: string) => void;
} {
  const session = useSession();
  const state = useSessionState();
  const [listing, setListing] = useState<string | null>(null);
  const listingRef = useRef<string | null>(null);
  listingRef.current = listing;

  useEffect(() => {
    let cancelled = false;
    getDoc(docId).then(
      (doc) => {
        if (!cancelled) setListing(doc.title);
      },
      () => {
        // offline or gone: the heading alone names the document
      },
    );
    return () => {
      cancelled = true;
    };
  }, [docId]);

  const titleText = useYTextChild(state.loaded ? getRoot(session.ydoc) : null, 'title');
  const heading = useYTextValue(titleText);

  useEffect(() => {
    if (titleText === null) return;
    let timer = 0;
    const follow = () => {
      timer = 0;
      const name = nameFromHeading(titleText.toJSON());
      if (name === null || name === listingRef.current) return;
      setListing(name);
      // heading: false — this person's edit already changed the heading; the server must not
      // write it a second time over what they may be typing now
      renameDoc(docId, name, { heading: false }).then((doc) => setListing(doc.title), showError);
    };
    const handleChange = (event: { transaction: { local: boolean } }) => {
      if (!event.transaction.local) return; // another person's edit: their client updates the list
      if (timer !== 0) window.clearTimeout(timer);
      timer = window.setTimeout(follow, LISTING_DELAY_MS);
    };
    titleText.observe(handleChange);
    return () => {
      titleText.unobserve(handleChange);
      if (timer !== 0) window.clearTimeout(timer);
    };
  }, [titleText, docId]);

  const rename = (name: string) => {
    const current = titleText === null ? null : titleText.toJSON();
    session.transact(() =>
      setText(session.ydoc, ['title'], headingForName(name, current), { origin: session.origin }),
    );
    // the list follows at once (a document without a heading has no text to observe yet)
    const previous = listingRef.current;
    listingRef.current = name;
    setListing(name);
    renameDoc(docId, name, { heading: false }).then(
      (doc) => setListing(doc.title),
      (error: unknown) => {
        setListing(previous);
        showError(error);
      },
    );
  };

  const fromHeading = state.loaded && titleText !== null ? nameFromHeading(heading) : null;
  return { name: fromHeading ?? listing ?? 'Untitled', rename };
}
