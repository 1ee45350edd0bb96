/**
 * Counting semaphore that allocates nothing while a slot is free: the hot paths (publish, message
 * dispatch) only pay for a promise when they actually have to wait.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  }

  get inUse(): number {
    return this.active;
  }

  /** Takes a slot now if one is free; otherwise returns a promise that resolves with the slot. */
  acquire(): Promise<void> | undefined {
    if (this.active < this.limit) {
      this.active++;
      return undefined;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) {
      // The slot passes straight to the waiter, so `active` stays the same.
      next();
      return;
    }
    this.active--;
    if (this.active === 0 && this.idleWaiters.length > 0) {
      const idle = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of idle) resolve();
    }
  }

  /** Resolves once no slot is taken. */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
