import { cappedBackoff } from '@app/common';

/** Capped exponential backoff between resubscriptions. */
export interface RetryPolicy {
  /** Delay after the first failure. Default 100 ms. */
  readonly initialMs?: number;
  /** Ceiling. Default 10 s. */
  readonly maxMs?: number;
}

/**
 * Delay before retry number `failures` (1-based): the shared capped backoff ({@link cappedBackoff},
 * up to 20 % jitter off) with the runner's defaults.
 */
export function retryDelayMs(failures: number, policy: RetryPolicy = {}, random?: () => number): number {
  return cappedBackoff(failures, { initialMs: policy.initialMs ?? 100, maxMs: policy.maxMs ?? 10_000 }, random);
}

/** Lets timers and I/O run between batches: a synchronous driver (better-sqlite3) never yields on its own. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
