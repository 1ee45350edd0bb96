import type { Clock } from '../executions/clock';
import { CasCell } from './cas-cell';
import { concurrencyKey, parseLimitKey, rateKey, type CasStore } from './cas-store';
import { ConcurrencyGate } from './concurrency-gate';
import { decodeSlots, encodeSlots, planSlots } from './concurrency-slots';
import { RateGate } from './rate-gate';
import type { TaskLimits } from './task-limits';

/** A task of a limited type on its way out. */
export interface LimitedTask {
  readonly executionId: string;
  readonly taskId: string;
  readonly taskType: string;
  readonly limits: TaskLimits;
}

/** Why a task waits. */
export type ThrottleReason = 'CONCURRENCY_LIMIT' | 'RATE_LIMIT';

/** What the limiter tells its owner. */
export interface LimiterHooks {
  /** The task has to wait (told once per task). */
  throttled(task: LimitedTask, reason: ThrottleReason, limit: number): void;
  /** The task may go out now; it holds a slot when its type has a concurrency limit. */
  admitted(task: LimitedTask): void;
  /** A round against the store failed (it is retried). */
  error(error: unknown): void;
}

interface Ticket {
  readonly task: LimitedTask;
  canceled: boolean;
  throttled: boolean;
  holdsSlot: boolean;
}

/**
 * Rate and concurrency limits of task types across replicas. The state every replica shares
 * lives in a {@link CasStore} (a NATS KV bucket): per type, the set of task ids holding a
 * concurrency slot and the current rate window. Each replica keeps its own waiters in FIFO order
 * and settles them in batched compare-and-set rounds; a task first takes a slot, then (holding it)
 * a share of the rate window, then is admitted.
 *
 * @example
 * const limiter = new TaskLimiter(store, systemClock, { throttled, admitted: (task) => publish(task), error: log });
 * limiter.admit({ executionId, taskId, taskType: 'charge', limits: { concurrency: 3 } });
 * // … when the task ends (on any replica):
 * limiter.ended('charge', taskId, { concurrency: 3 });
 */
export class TaskLimiter {
  private readonly slotGates = new Map<string, ConcurrencyGate>();
  private readonly rateGates = new Map<string, RateGate>();
  private readonly tickets = new Map<string, Ticket>();
  private readonly held = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly store: CasStore,
    private readonly clock: Clock,
    private readonly hooks: LimiterHooks,
  ) {}

  /** Starts admitting a task; false when it is already on its way here (recovery may offer it again). */
  admit(task: LimitedTask): boolean {
    if (this.stopped || this.tickets.has(task.taskId)) return false;
    const ticket: Ticket = { task, canceled: false, throttled: false, holdsSlot: false };
    this.tickets.set(task.taskId, ticket);
    const limit = task.limits.concurrency;
    if (limit === undefined) this.takeRate(ticket);
    else {
      this.slotGate(task.taskType).acquire(task.taskId, limit, {
        granted: () => {
          ticket.holdsSlot = true;
          this.takeRate(ticket);
        },
        blocked: () => this.block(ticket, 'CONCURRENCY_LIMIT', limit),
      });
    }
    return true;
  }

  /** The task ended or must not go out: it stops waiting here, and its slot (if any, held through any replica) is freed. */
  ended(taskType: string, taskId: string, limits: TaskLimits): void {
    const ticket = this.tickets.get(taskId);
    if (ticket) {
      ticket.canceled = true;
      this.settle(ticket);
      this.slotGates.get(taskType)?.cancel(taskId);
      this.rateGates.get(taskType)?.cancel(taskId);
    }
    if (limits.concurrency !== undefined) this.freeSlot(taskType, taskId);
  }

  /** Frees a task's slot (a no-op when it holds none). */
  freeSlot(taskType: string, taskId: string): void {
    this.slotGate(taskType).release(taskId);
  }

  /** A write to the shared state seen on the watch. */
  observe(key: string, value: string, revision: number): void {
    const parsed = parseLimitKey(key);
    if (!parsed) return;
    if (parsed.kind === 'concurrency') this.slotGates.get(parsed.taskType)?.observe(value, revision);
    else this.rateGates.get(parsed.taskType)?.observe(value, revision);
  }

  /** Re-reads the shared state of every type with waiters (the fallback to the watch). */
  refresh(): void {
    for (const gate of this.slotGates.values()) gate.refresh();
    for (const gate of this.rateGates.values()) gate.refresh();
  }

  /** Tasks held back here, by type. */
  waitingByType(): ReadonlyMap<string, number> {
    return this.held;
  }

  /** Tasks admitted a slot here that have not gone out (waiting for the rate window). */
  slotsNotSent(): LimitedTask[] {
    return [...this.tickets.values()].filter((ticket) => ticket.holdsSlot).map((ticket) => ticket.task);
  }

  /**
   * Graceful stop: admits nothing more, and gives back the slots of tasks that took one here but
   * never went out (they wait for the rate window; recovery offers them again after a restart).
   */
  async close(): Promise<void> {
    this.stopped = true;
    const unsent = new Map<string, string[]>();
    for (const task of this.slotsNotSent()) unsent.set(task.taskType, [...(unsent.get(task.taskType) ?? []), task.taskId]);
    this.stop();
    await Promise.all(
      [...unsent].map(([taskType, taskIds]) =>
        new CasCell(this.store, concurrencyKey(taskType)).modify((value) => {
          const plan = planSlots(decodeSlots(value), taskIds, []);
          return { result: undefined, ...(plan.changed ? { next: encodeSlots(plan.holders) } : {}) };
        }),
      ),
    );
  }

  stop(): void {
    this.stopped = true;
    for (const gate of this.slotGates.values()) gate.stop();
    for (const gate of this.rateGates.values()) gate.stop();
  }

  private takeRate(ticket: Ticket): void {
    if (ticket.canceled) return this.freeCanceled(ticket);
    const rate = ticket.task.limits.rate;
    if (!rate) return this.done(ticket);
    this.rateGate(ticket.task.taskType).take(ticket.task.taskId, rate, {
      granted: () => this.done(ticket),
      blocked: () => this.block(ticket, 'RATE_LIMIT', rate.perWindow),
    });
  }

  private done(ticket: Ticket): void {
    if (ticket.canceled) return this.freeCanceled(ticket);
    this.settle(ticket);
    this.hooks.admitted(ticket.task);
  }

  /** A canceled task that a round in flight granted anyway gives its slot back. */
  private freeCanceled(ticket: Ticket): void {
    if (ticket.holdsSlot) this.freeSlot(ticket.task.taskType, ticket.task.taskId);
  }

  private block(ticket: Ticket, reason: ThrottleReason, limit: number): void {
    if (ticket.throttled || ticket.canceled) return;
    ticket.throttled = true;
    this.held.set(ticket.task.taskType, (this.held.get(ticket.task.taskType) ?? 0) + 1);
    this.hooks.throttled(ticket.task, reason, limit);
  }

  /** The ticket leaves the limiter (admitted or canceled). */
  private settle(ticket: Ticket): void {
    if (this.tickets.get(ticket.task.taskId) === ticket) this.tickets.delete(ticket.task.taskId);
    if (ticket.throttled) {
      const type = ticket.task.taskType;
      this.held.set(type, Math.max(0, (this.held.get(type) ?? 0) - 1));
    }
    ticket.throttled = false;
  }

  private slotGate(taskType: string): ConcurrencyGate {
    let gate = this.slotGates.get(taskType);
    if (!gate) this.slotGates.set(taskType, (gate = new ConcurrencyGate(new CasCell(this.store, concurrencyKey(taskType)), (error) => this.hooks.error(error))));
    return gate;
  }

  private rateGate(taskType: string): RateGate {
    let gate = this.rateGates.get(taskType);
    if (!gate) this.rateGates.set(taskType, (gate = new RateGate(new CasCell(this.store, rateKey(taskType)), this.clock, (error) => this.hooks.error(error))));
    return gate;
  }
}
