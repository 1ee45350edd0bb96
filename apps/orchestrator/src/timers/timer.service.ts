import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '../executions/clock';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { ArmedTimers, type ArmedTimer } from './armed-timers';

export type { ArmedTimer } from './armed-timers';

/** Where a page of timers ended: the next page starts after it. */
export interface TimerCursor {
  readonly dueAt: number;
  readonly executionId: string;
  readonly timerId: string;
}

/** Where timers due later than the in-memory window are kept (the execution index read model). */
export interface DurableTimerSource {
  /**
   * Timers due at or before `epochMs`, ordered by (dueAt, executionId, timerId), at most `limit`;
   * with `after`, only those ordered after it.
   */
  dueBefore(epochMs: number, limit: number, after?: TimerCursor): Promise<ArmedTimer[]>;
}

/** DI token of the {@link DurableTimerSource}. */
export const DURABLE_TIMER_SOURCE = Symbol('DURABLE_TIMER_SOURCE');

/** Settings of the timer service. */
export interface TimerServiceOptions {
  /** Timers due within this window are held in memory; later ones stay in the index. */
  readonly windowMs: number;
  /** Largest page loaded from the index at once. */
  readonly loadLimit: number;
  /** No page is loaded while this many timers are in memory (they are the soonest; firing them makes room). */
  readonly maxInMemory: number;
  /** Firings in flight at once; the rest wait in the heap. */
  readonly maxInFlight: number;
  /**
   * How often timers already due are read from the index from its start: those this replica did
   * not arm (another replica armed them after this one's pages had moved past them, and has not
   * fired them: it died, or is stuck). This bounds how late such a timer fires here.
   */
  readonly sweepMs: number;
  /**
   * A sweep reads only timers overdue by this much: their own replica fires them on time, and the
   * read model drops them a moment later, so a live replica's timers are not fired twice.
   */
  readonly sweepGraceMs: number;
  /** Timers fired here are remembered this long (at least), so a lagging read model cannot make them fire again. */
  readonly firedMemoryMs: number;
}

const DEFAULTS: TimerServiceOptions = { windowMs: 30_000, loadLimit: 5_000, maxInMemory: 60_000, maxInFlight: 256, sweepMs: 250, sweepGraceMs: 200, firedMemoryMs: 10_000 };

/**
 * Fires durable timers on time. Only timers due within a sliding window are in memory (a
 * min-heap); the rest are paged in from the index as the window moves (keyset pages, so a window
 * holding more timers than a page keeps moving), so 100,000 pending timers need bounded memory.
 * A timer armed before a crash is in the index and fires after restart.
 */
@Injectable()
export class TimerService implements OnApplicationShutdown {
  private readonly logger = new Logger(TimerService.name);
  private readonly timers = new ArmedTimers();
  private handler?: (timer: ArmedTimer) => Promise<void>;
  private source?: DurableTimerSource;
  private wakeup?: NodeJS.Timeout;
  private wakeAt = Number.POSITIVE_INFINITY;
  /** Every timer of the index due up to here is in memory (or fired). */
  private loadedUntil = 0;
  private cursor?: TimerCursor;
  private lastSweep = 0;
  private lastFiredRotation = 0;
  private loading = false;
  /** After a failed load, the next waits until then. */
  private loadPausedUntil = 0;
  private inFlight = 0;
  private stopped = true;
  private readonly options: TimerServiceOptions = { ...DEFAULTS };

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: OrchestratorMetrics,
  ) {}

  /** Starts firing: `handler` runs for each due timer (it must record TimerFired). */
  start(handler: (timer: ArmedTimer) => Promise<void>, source?: DurableTimerSource, options: Partial<TimerServiceOptions> = {}): void {
    Object.assign(this.options, options);
    this.handler = handler;
    this.source = source;
    this.stopped = false;
    this.loadedUntil = source ? this.clock.now() : Number.POSITIVE_INFINITY;
    this.lastSweep = this.clock.now();
    this.lastFiredRotation = this.clock.now();
    this.schedule(0);
  }

  /** Timers held in memory. */
  get inMemory(): number {
    return this.timers.size;
  }

  /** A timer just started (or loaded): held in memory when due soon enough, else left to the index. */
  arm(timer: ArmedTimer): void {
    // Beyond the horizon the index is the source of truth: a later page brings it in. The horizon
    // reaches past the next pages' ends, so a page read before the read model has this timer cannot skip it.
    const horizon = Math.max(this.loadedUntil, this.clock.now() + 2 * this.options.windowMs);
    if (timer.dueAt > horizon || !this.timers.add(timer)) return;
    if (timer.dueAt < this.wakeAt && this.inFlight < this.options.maxInFlight) this.schedule(timer.dueAt - this.clock.now());
  }

  disarm(executionId: string, timerId: string): void {
    this.timers.disarm(executionId, timerId);
  }

  disarmExecution(executionId: string): void {
    this.timers.disarmExecution(executionId);
  }

  /** Drops the timers about a task that ended. */
  disarmTask(executionId: string, taskId: string): void {
    this.timers.disarmTask(executionId, taskId);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.wakeup) clearTimeout(this.wakeup);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const at = this.clock.now() + Math.max(0, delayMs);
    if (this.wakeup && at >= this.wakeAt) return;
    if (this.wakeup) clearTimeout(this.wakeup);
    this.wakeAt = at;
    this.wakeup = setTimeout(() => this.tick(), Math.max(0, delayMs));
  }

  private tick(): void {
    this.wakeup = undefined;
    this.wakeAt = Number.POSITIVE_INFINITY;
    if (this.stopped) return;
    const now = this.clock.now();
    for (let timer; this.inFlight < this.options.maxInFlight && (timer = this.timers.takeDue(now)); ) this.fire(timer);
    if (this.source && !this.loading && now >= this.loadPausedUntil && (this.needsPage(now) || now - this.lastSweep >= this.options.sweepMs)) void this.load(now);
    this.metrics.timersInMemory.set(this.timers.size);
    this.scheduleNext();
  }

  private scheduleNext(): void {
    let wake = Number.POSITIVE_INFINITY;
    const next = this.timers.nextDueAt;
    if (next !== undefined && this.inFlight < this.options.maxInFlight) wake = next;
    if (this.source && !this.loading) wake = Math.min(wake, Math.max(this.loadPausedUntil, Math.min(this.loadedUntil - this.options.windowMs / 2, this.lastSweep + this.options.sweepMs)));
    if (Number.isFinite(wake)) this.schedule(wake - this.clock.now());
  }

  /** Less than half a window is in memory, and there is room for another page. */
  private needsPage(now: number): boolean {
    return now + this.options.windowMs / 2 >= this.loadedUntil && this.timers.size + this.options.loadLimit <= this.options.maxInMemory;
  }

  private async load(now: number): Promise<void> {
    this.loading = true;
    try {
      if (now - this.lastSweep >= this.options.sweepMs) {
        this.lastSweep = now;
        if (now - this.lastFiredRotation >= this.options.firedMemoryMs) {
          this.lastFiredRotation = now;
          this.timers.rotateFired();
        }
        for (const timer of await this.source!.dueBefore(now - this.options.sweepGraceMs, this.options.loadLimit)) this.arm(timer);
      }
      if (this.needsPage(now)) {
        const until = now + this.options.windowMs;
        const page = await this.source!.dueBefore(until, this.options.loadLimit, this.cursor);
        const last = page[page.length - 1];
        if (last) this.cursor = { dueAt: last.dueAt, executionId: last.executionId, timerId: last.timerId };
        // A full page means more are due inside the window: only claim the window up to the last one loaded.
        this.loadedUntil = Math.max(this.loadedUntil, page.length >= this.options.loadLimit ? last!.dueAt : until);
        for (const timer of page) this.arm(timer);
      }
    } catch (error) {
      this.loadPausedUntil = this.clock.now() + 1_000;
      this.logger.warn(`loading timers from the index failed, retrying in 1 s: ${String(error)}`);
    } finally {
      this.loading = false;
      this.schedule(0);
    }
  }

  private fire(timer: ArmedTimer): void {
    this.inFlight += 1;
    this.handler!(timer)
      .catch((error: unknown) => {
        this.logger.warn(`firing timer ${timer.timerId} of ${timer.executionId} failed, retrying in 1 s: ${String(error)}`);
        setTimeout(() => {
          this.timers.forgetFired(timer);
          this.arm(timer);
        }, 1_000).unref();
      })
      .finally(() => {
        this.inFlight -= 1;
        if (this.inFlight === this.options.maxInFlight - 1) this.schedule(0);
      });
  }
}
