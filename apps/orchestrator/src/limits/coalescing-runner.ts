/**
 * Runs an async job one at a time: a request while it runs makes it run once more afterwards
 * (requests coalesce). A failing job is retried after `retryMs`.
 */
export class CoalescingRunner {
  private running = false;
  private again = false;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly job: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly retryMs = 500,
  ) {}

  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        try {
          await this.job();
        } catch (error) {
          this.onError(error);
          if (!this.retry && !this.stopped) {
            this.retry = setTimeout(() => {
              this.retry = undefined;
              this.request();
            }, this.retryMs);
            this.retry.unref();
          }
          return;
        }
      } while (this.again && !this.stopped);
    } finally {
      this.running = false;
    }
  }
}
