/**
 * Wakes idle subscriptions when new events may exist. Level-triggered through a version number:
 * a subscription notes the version before it reads, and a wait for that version returns at once
 * if an append happened in between, so no append is missed between a read and a wait.
 */
export class ChangeNotifier {
  private version = 0;
  private readonly waiters = new Set<() => void>();

  /**
   * @param pollIntervalMs when set, waits also end after this long, for writers this process
   *   cannot hear (another process on the same file).
   */
  constructor(private readonly pollIntervalMs?: number) {}

  get current(): number {
    return this.version;
  }

  notify(): void {
    this.version += 1;
    for (const wake of this.waiters) wake();
  }

  /** Resolves when the version moved past `seen`, a poll interval passed, or `signal` aborted. */
  wait(seen: number, signal: AbortSignal): Promise<void> {
    if (this.version !== seen || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.pollIntervalMs === undefined ? undefined : setTimeout(wake, this.pollIntervalMs);
      const waiters = this.waiters;
      function wake(): void {
        if (timer !== undefined) clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        waiters.delete(wake);
        resolve();
      }
      waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
