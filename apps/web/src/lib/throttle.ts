export interface Throttled {
  /** Runs now if `wait` ms have passed since the last run, else once when they have. */
  (): void;
  /** Drops a pending run. */
  cancel(): void;
}

/**
 * `run` at most once per `wait` ms: the first call runs at once, calls during the wait collapse
 * into one run at its end (so the last state is always published).
 */
export function throttle(run: () => void, wait: number): Throttled {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    timer = undefined;
    last = Date.now();
    run();
  };
  const throttled = () => {
    if (timer !== undefined) return;
    const elapsed = Date.now() - last;
    if (elapsed >= wait) fire();
    else timer = setTimeout(fire, wait - elapsed);
  };
  throttled.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return throttled;
}
