import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '../executions/clock';
import { OrchestratorMetrics } from '../health/orchestrator-metrics';
import { MinHeap } from './min-heap';

/** A durable timer of an execution, as the timer service schedules it. */
export interface ArmedTimer {
  readonly executionId: string;
  readonly timerId: string;
  /** Epoch milliseconds. */
  readonly dueAt: number;
  /** The task it is about (deadlines, WAIT): it is dropped when that task ends. */
  readonly taskId?: string;
}

/** Where timers due later than the in-memory window are kept (the execution index read model). */
export interface DurableTimerSource {
  /** Timers due before `epochMs`, earliest first, at most `limit`. */
  dueBefore(epochMs: number, limit: number): Promise<ArmedTimer[]>;
}

/** DI token of the {@link DurableTimerSource}. */
export const DURABLE_TIMER_SOURCE = Symbol('DURABLE_TIMER_SOURCE');

/** Settings of the timer service. */
export interface TimerServiceOptions {
  /** Timers due within this window are held in memory; later ones stay in the index. */
  readonly windowMs: number;
  /** Largest page loaded from the index at once. */
  readonly loadLimit: number;
}

const keyOf = (executionId: string, id: string): string => `${executionId}\u0000${id}`;

function index(map: Map<string, Set<string>>, group: string, key: string): void {
  let keys = map.get(group);
  if (!keys) map.set(group, (keys = new Set()));
  keys.add(key);
}

/**
 * Fires durable timers on time. Only timers due within a sliding window are in memory (a
 * min-heap); the rest are loaded from the index as the window moves, so 100,000 pending timers
 * need bounded memory. A timer armed before a crash is in the index and fires after restart.
 */
@Injectable()
export class TimerService implements OnApplicationShutdown {
  private readonly logger = new Logger(TimerService.name);
  private readonly heap = new MinHeap<ArmedTimer>((timer) => timer.dueAt);
  private readonly armed = new Set<string>();
  /** Armed keys by execution and by task, so ending one drops its timers without a scan. */
  private readonly byExecution = new Map<string, Set<string>>();
  private readonly byTask = new Map<string, Set<string>>();
  private handler?: (timer: ArmedTimer) => Promise<void>;
  private source?: DurableTimerSource;
  private wakeup?: NodeJS.Timeout;
  private wakeAt = Number.POSITIVE_INFINITY;
  private loadedUntil = 0;
  private loading?: Promise<void>;
  private stopped = true;
  private readonly options: TimerServiceOptions = { windowMs: 30_000, loadLimit: 5_000 };

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
    this.schedule(0);
  }

  /** Timers held in memory. */
  get inMemory(): number {
    return this.armed.size;
  }

  arm(timer: ArmedTimer): void {
    // Beyond the loaded window the index is the source of truth: the window loader brings it in.
    if (timer.dueAt > this.loadedUntil) return;
    const key = keyOf(timer.executionId, timer.timerId);
    if (this.armed.has(key)) return;
    this.armed.add(key);
    index(this.byExecution, timer.executionId, key);
    if (timer.taskId !== undefined) index(this.byTask, keyOf(timer.executionId, timer.taskId), key);
    this.heap.push(timer);
    if (timer.dueAt < this.wakeAt) this.schedule(timer.dueAt - this.clock.now());
  }

  disarm(executionId: string, timerId: string): void {
    // Lazy deletion: the heap entry is skipped when it surfaces.
    this.armed.delete(keyOf(executionId, timerId));
  }

  disarmExecution(executionId: string): void {
    for (const key of this.byExecution.get(executionId) ?? []) this.armed.delete(key);
    this.byExecution.delete(executionId);
  }

  /** Drops the timers about a task that ended. */
  disarmTask(executionId: string, taskId: string): void {
    const taskKey = keyOf(executionId, taskId);
    for (const key of this.byTask.get(taskKey) ?? []) this.armed.delete(key);
    this.byTask.delete(taskKey);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.wakeup) clearTimeout(this.wakeup);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const at = now + Math.max(0, delayMs);
    if (this.wakeup && at >= this.wakeAt) return;
    if (this.wakeup) clearTimeout(this.wakeup);
    this.wakeAt = at;
    this.wakeup = setTimeout(() => void this.tick(), Math.max(0, delayMs));
  }

  private async tick(): Promise<void> {
    this.wakeup = undefined;
    this.wakeAt = Number.POSITIVE_INFINITY;
    if (this.stopped) return;
    const now = this.clock.now();
    if (this.source && now + this.options.windowMs / 2 >= this.loadedUntil) await this.loadWindow(now);
    const due: ArmedTimer[] = [];
    while (this.heap.size > 0 && this.heap.peek()!.dueAt <= now) {
      const timer = this.heap.pop()!;
      const key = keyOf(timer.executionId, timer.timerId);
      this.byExecution.get(timer.executionId)?.delete(key);
      if (timer.taskId !== undefined) this.byTask.get(keyOf(timer.executionId, timer.taskId))?.delete(key);
      if (this.armed.delete(key)) due.push(timer);
    }
    for (const timer of due) void this.fire(timer);
    this.metrics.timersInMemory.set(this.armed.size);
    const next = this.heap.peek();
    const nextLoad = this.source ? this.loadedUntil - this.options.windowMs / 2 : Number.POSITIVE_INFINITY;
    const wake = Math.min(next?.dueAt ?? Number.POSITIVE_INFINITY, nextLoad);
    if (Number.isFinite(wake)) this.schedule(wake - this.clock.now());
  }

  private async loadWindow(now: number): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      const until = now + this.options.windowMs;
      try {
        const timers = await this.source!.dueBefore(until, this.options.loadLimit);
        // A full page means more are due inside the window: only claim the window up to the last one loaded.
        this.loadedUntil = timers.length >= this.options.loadLimit ? timers[timers.length - 1]!.dueAt : until;
        for (const timer of timers) this.arm(timer);
      } catch (error) {
        this.logger.warn(`loading timers from the index failed, retrying: ${String(error)}`);
      }
    })();
    try {
      await this.loading;
    } finally {
      this.loading = undefined;
    }
  }

  private async fire(timer: ArmedTimer): Promise<void> {
    try {
      await this.handler!(timer);
    } catch (error) {
      this.logger.warn(`firing timer ${timer.timerId} of ${timer.executionId} failed, retrying in 1 s: ${String(error)}`);
      setTimeout(() => this.arm(timer), 1_000).unref();
    }
  }
}
