import { useEffect, useState } from 'react';
import type { SyspatDocument } from '@syspat/model';
import { readModel } from '@syspat/ydoc';
import type { DocSession } from './DocSession.ts';

/**
 * The document as a model, re-read a moment after changes stop (lint, export preview). Reading
 * a 200-card document takes a few milliseconds; the debounce keeps it off the typing path.
 */
export function useModelSnapshot(
  session: DocSession,
  enabled = true,
  delayMs = 350,
): SyspatDocument | null {
  const [model, setModel] = useState<SyspatDocument | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let timer = 0;
    let idle = 0;
    const read = () => {
      timer = 0;
      const run = () => {
        idle = 0;
        setModel(readModel(session.ydoc));
      };
      if (typeof requestIdleCallback === 'function')
        idle = requestIdleCallback(run, { timeout: 500 });
      else run();
    };
    const schedule = () => {
      if (timer !== 0) window.clearTimeout(timer);
      timer = window.setTimeout(read, delayMs);
    };
    read();
    session.ydoc.on('afterTransaction', schedule);
    return () => {
      session.ydoc.off('afterTransaction', schedule);
      if (timer !== 0) window.clearTimeout(timer);
      if (idle !== 0 && typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
    };
  }, [session, enabled, delayMs]);
  return model;
}
