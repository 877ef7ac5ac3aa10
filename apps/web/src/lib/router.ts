import { useSyncExternalStore } from 'react';

/** A two-route history router: `/` (documents) and `/d/:id` (one document). */

export type Route =
  | { readonly name: 'list' }
  | { readonly name: 'doc'; readonly id: string }
  | { readonly name: 'notFound' };

const DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'list' };
  const match = /^\/d\/([^/]+)\/?$/.exec(pathname);
  const id = match?.[1];
  if (id !== undefined && DOC_ID.test(id)) return { name: 'doc', id };
  return { name: 'notFound' };
}

export const docHref = (id: string): string => `/d/${encodeURIComponent(id)}`;

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace === true) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

/** For `<a onClick>`: follows the link inside the app unless a modifier asks for a new tab. */
export function handleLinkClick(event: React.MouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}
