/** A rate limit: at most `perWindow` dispatches in each fixed window of `windowMs`. */
export interface RateLimit {
  readonly perWindow: number;
  readonly windowMs: number;
}

/**
 * What is stored under a task type's rate key: the dispatches counted in one fixed window.
 * One key per type, overwritten when a new window starts, so old windows need no cleanup.
 */
export interface RateWindow {
  readonly windowMs: number;
  /** `floor(epochMs / windowMs)` of the window counted. */
  readonly window: number;
  readonly count: number;
}

/** Index of the fixed window `epochMs` falls in. */
export const windowIndex = (epochMs: number, windowMs: number): number => Math.floor(epochMs / windowMs);

/** Epoch milliseconds at which window `index` starts. */
export const windowStart = (index: number, windowMs: number): number => index * windowMs;

/**
 * The window dispatches count against at `now`: the stored one while it is current — or ahead,
 * when another replica's clock is a little ahead of ours — else a fresh, empty one.
 */
export function currentWindow(stored: RateWindow | undefined, now: number, windowMs: number): RateWindow {
  const index = windowIndex(now, windowMs);
  if (stored && stored.windowMs === windowMs && stored.window >= index) return stored;
  return { windowMs, window: index, count: 0 };
}

/** Outcome of {@link takeFromWindow}. */
export interface WindowTake {
  /** How many of the requests (from the first, in order) may go out now. */
  readonly granted: number;
  /** The value to store, when anything was granted. */
  readonly next?: RateWindow;
  /** When the rest may try again (start of the next window), when any are left. */
  readonly retryAt?: number;
}

/**
 * Grants requests in order while the current window has room. `perWindow` is given per request
 * (each execution carries its own snapshot of the task definition); the first that does not fit
 * stops the rest, so the order is kept.
 *
 * @example
 * takeFromWindow(undefined, 1_500, 1_000, [5, 5, 5]); // { granted: 3, next: { windowMs: 1000, window: 1, count: 3 } }
 */
export function takeFromWindow(stored: RateWindow | undefined, now: number, windowMs: number, perWindow: readonly number[]): WindowTake {
  const current = currentWindow(stored, now, windowMs);
  let count = current.count;
  let granted = 0;
  while (granted < perWindow.length && count < perWindow[granted]!) {
    count += 1;
    granted += 1;
  }
  return {
    granted,
    ...(granted > 0 ? { next: { ...current, count } } : {}),
    ...(granted < perWindow.length ? { retryAt: windowStart(current.window + 1, windowMs) } : {}),
  };
}

/** Parses a stored rate value; anything unreadable counts as no value (a fresh window). */
export function decodeRateWindow(text: string | undefined): RateWindow | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const value = JSON.parse(text) as Partial<RateWindow>;
    if (typeof value.windowMs === 'number' && typeof value.window === 'number' && typeof value.count === 'number') {
      return { windowMs: value.windowMs, window: value.window, count: value.count };
    }
  } catch {
    // fall through: a fresh window
  }
  return undefined;
}

export const encodeRateWindow = (value: RateWindow): string => JSON.stringify(value);
