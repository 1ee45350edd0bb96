/** A promise settled once from outside; rejection is pre-handled so an unobserved latch never crashes the process. */
export class Latch {
  readonly promise: Promise<void>;
  private settled: 'open' | 'resolved' | 'rejected' = 'open';
  private resolveFn!: () => void;
  private rejectFn!: (error: Error) => void;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    this.promise.catch(() => undefined);
  }

  get state(): 'open' | 'resolved' | 'rejected' {
    return this.settled;
  }

  resolve(): void {
    if (this.settled !== 'open') return;
    this.settled = 'resolved';
    this.resolveFn();
  }

  reject(error: Error): void {
    if (this.settled !== 'open') return;
    this.settled = 'rejected';
    this.rejectFn(error);
  }
}
