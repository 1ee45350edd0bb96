import type { Clock } from '../executions/clock';
import type { CasCell } from './cas-cell';
import { CoalescingRunner } from './coalescing-runner';
import type { GateCallbacks } from './concurrency-gate';
import { decodeRateWindow, encodeRateWindow, takeFromWindow, type RateLimit, type WindowTake } from './rate-window';

interface RateWaiter extends GateCallbacks {
  readonly taskId: string;
  readonly rate: RateLimit;
  told: boolean;
}

/**
 * A task type's rate window as seen by one replica: local waiters in FIFO order take what the
 * shared window has left in batched compare-and-set rounds; the rest wait for the next window.
 */
export class RateGate {
  private waiters: RateWaiter[] = [];
  private readonly runner: CoalescingRunner;
  private wakeup?: NodeJS.Timeout;
  private wakeAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly cell: CasCell,
    private readonly clock: Clock,
    onError: (error: unknown) => void,
  ) {
    this.runner = new CoalescingRunner(() => this.round(), onError);
  }

  get waiting(): number {
    return this.waiters.length;
  }

  take(taskId: string, rate: RateLimit, callbacks: GateCallbacks): void {
    this.waiters.push({ taskId, rate, granted: callbacks.granted, blocked: callbacks.blocked, told: false });
    this.runner.request();
  }

  cancel(taskId: string): void {
    this.waiters = this.waiters.filter((waiter) => waiter.taskId !== taskId);
  }

  observe(value: string, revision: number): void {
    this.cell.observe(value, revision);
  }

  refresh(): void {
    if (this.waiters.length > 0) this.runner.request();
  }

  stop(): void {
    this.runner.stop();
    if (this.wakeup) clearTimeout(this.wakeup);
  }

  private async round(): Promise<void> {
    const requests = this.waiters.slice();
    if (requests.length === 0) return;
    // One window length per round: the first waiter's (executions of other definition versions follow it).
    const windowMs = requests[0]!.rate.windowMs;
    const perWindow = requests.map((request) => request.rate.perWindow);
    const take = await this.cell.modify<WindowTake>((value) => {
      const taken = takeFromWindow(decodeRateWindow(value), this.clock.now(), windowMs, perWindow);
      return { result: taken, ...(taken.next ? { next: encodeRateWindow(taken.next) } : {}) };
    });
    const granted = new Set(requests.slice(0, take.granted).map((request) => request.taskId));
    this.waiters = this.waiters.filter((waiter) => !granted.has(waiter.taskId));
    for (const request of requests.slice(0, take.granted)) request.granted();
    // Only waiters this round considered were refused (later ones join the next round).
    for (const waiter of this.waiters) {
      if (waiter.told || !requests.includes(waiter)) continue;
      waiter.told = true;
      waiter.blocked();
    }
    if (this.waiters.length > 0 && take.retryAt !== undefined) this.wakeAtTime(take.retryAt);
  }

  private wakeAtTime(at: number): void {
    if (this.wakeup && this.wakeAt <= at) return;
    if (this.wakeup) clearTimeout(this.wakeup);
    this.wakeAt = at;
    // 1 ms past the boundary, so the new window has started on this clock.
    this.wakeup = setTimeout(() => {
      this.wakeup = undefined;
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.runner.request();
    }, Math.max(0, at - this.clock.now() + 1));
    this.wakeup.unref();
  }
}
