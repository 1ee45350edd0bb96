/** Capped exponential backoff between resubscriptions. */
export interface RetryPolicy {
  /** Delay after the first failure. Default 100 ms. */
  readonly initialMs?: number;
  /** Ceiling. Default 10 s. */
  readonly maxMs?: number;
}

/**
 * Delay before retry number `failures` (1-based): doubling from `initialMs` up to `maxMs`, minus up
 * to 20 % jitter so replicas that failed together do not come back in step.
 */
export function retryDelayMs(failures: number, policy: RetryPolicy = {}, random: () => number = Math.random): number {
  const initial = policy.initialMs ?? 100;
  const ceiling = policy.maxMs ?? 10_000;
  const doubled = initial * 2 ** Math.min(Math.max(failures - 1, 0), 30);
  return Math.round(Math.min(doubled, ceiling) * (1 - 0.2 * random()));
}

/** Waits `ms`, or less when `signal` aborts (stopping must not wait out a long backoff). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Lets timers and I/O run between batches: a synchronous driver (better-sqlite3) never yields on its own. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
