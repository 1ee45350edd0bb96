/** How long {@link waitFor} keeps trying, and how often. */
export interface WaitForOptions {
  /** Give up after this long. Default 30 s. */
  readonly timeoutMs?: number;
  /** Pause between checks. Default 50 ms. */
  readonly intervalMs?: number;
}

/**
 * Polls `check` until it returns a truthy value (which is returned) or `timeoutMs` passes; then
 * throws naming `what` and the last value or error seen. Tests wait with it for a condition
 * instead of sleeping for a time. A check that throws counts as "not yet".
 *
 * @example
 * const status = await waitFor('the order to complete', async () => (await api.status(id)) === 'COMPLETED' && id);
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await check();
      if (last) return last as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${describe(last)}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  return JSON.stringify(value)?.slice(0, 500) ?? String(value);
}
