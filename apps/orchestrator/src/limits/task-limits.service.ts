import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection, QueuedIterator, KvEntry } from 'nats';
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';
import { CLOCK, type Clock } from '../executions/clock';
import { ExecutionRepository } from '../executions/execution.repository';
import { EXECUTION_COMMANDS, type ExecutionCommands } from '../executions/execution-commands.port';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { NATS_CONNECTION } from '../messaging/nats.providers';
import { KvCasStore } from './kv-cas-store';
import { isTaskPending } from './pending-task';
import { SlotReconciler } from './slot-reconciler';
import { TaskLimiter, type LimitedTask, type ThrottleReason } from './task-limiter';
import type { TaskLimits } from './task-limits';
import { ThrottleRecorder } from './throttle-recorder';

/** How often waiters re-read the shared state should a watched write have been missed. */
const POLL_MS = 500;
/** Longest graceful shutdown waits for admissions being recorded. */
const SHUTDOWN_WAIT_MS = 5_000;

interface Offer {
  readonly send: () => void;
  /** The log already says the task was throttled (recovery offers it again). */
  readonly throttledInLog: boolean;
  /** Recording TaskThrottled: resolves false when the task turned out not to be pending. */
  throttling?: Promise<boolean>;
}

/**
 * Rate and concurrency limits of task types, across replicas (Conductor's `rateLimitPerFrequency`
 * / `rateLimitFrequencyInSeconds` and `concurrentExecLimit`). Shared state in the NATS KV bucket
 * `BATON_LIMITS` (docs/wire-contract.md); a held-back task gets TaskThrottled in its history,
 * then TaskDispatched just before its command goes out.
 */
@Injectable()
export class TaskLimitsService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('TaskLimits');
  private limiter?: TaskLimiter;
  private store?: KvCasStore;
  private watch?: QueuedIterator<KvEntry>;
  private recorder?: ThrottleRecorder;
  private reconciler?: SlotReconciler;
  private readonly offers = new Map<string, Offer>();
  private readonly admissions = new Set<Promise<void>>();
  private readonly intervals: NodeJS.Timeout[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nats: NatsConnection,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: OrchestratorMetrics,
    private readonly repository: ExecutionRepository,
    @Inject(EXECUTION_COMMANDS) private readonly commands: ExecutionCommands,
  ) {}

  async onModuleInit(): Promise<void> {
    this.store = await KvCasStore.open(this.nats, this.config.limitsBucket, { replicas: this.config.streamReplicas });
    this.recorder = new ThrottleRecorder(this.commands, this.logger);
    this.limiter = new TaskLimiter(this.store, this.clock, {
      throttled: (task, reason, limit) => this.onThrottled(task, reason, limit),
      admitted: (task) => this.track(this.onAdmitted(task)),
      error: (error) => {
        this.metrics.limitStoreErrors.inc();
        this.logger.warn(`limits bucket round failed, retrying: ${String(error)}`);
      },
    });
    this.reconciler = new SlotReconciler(this.store, (executionId, taskId) => isTaskPending(this.repository, executionId, taskId), (taskType, taskId) => {
      this.metrics.limitSlotsReclaimed.inc({ task_type: taskType });
      this.logger.warn(`reclaiming the ${taskType} slot of task ${taskId}: the log says it ended (or it does not exist)`);
      this.limiter?.freeSlot(taskType, taskId);
    });
    await this.startWatch(this.store);
    this.every(POLL_MS, () => {
      if (this.offers.size > 0) this.limiter?.refresh();
    });
  }

  onApplicationBootstrap(): void {
    const reconcile = () => void this.reconciler?.run().catch((error: unknown) => this.logger.warn(`slot reconciliation failed: ${String(error)}`));
    reconcile();
    this.every(this.config.limitsReconcileMs, reconcile);
  }

  /** Sends a task of a limited type once its limits allow (at once when they do). */
  admit(task: LimitedTask, throttledInLog: boolean, send: () => void): void {
    // Already on its way here (recovery offering it again): the first offer sends it.
    if (!this.limiter!.admit(task)) return;
    this.offers.set(task.taskId, { send, throttledInLog });
  }

  /** A task of a limited type ended (on whichever replica applied it): it stops waiting, its slot frees up. */
  taskEnded(taskType: string, taskId: string, limits: TaskLimits): void {
    this.offers.delete(taskId);
    this.limiter?.ended(taskType, taskId, limits);
    this.updateGauge(taskType);
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const interval of this.intervals) clearInterval(interval);
    await this.limiter?.close().catch((error: unknown) => this.logger.warn(`giving back unsent slots failed: ${String(error)}`));
    await Promise.race([Promise.allSettled([...this.admissions]), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]);
    this.recorder?.stop();
    this.watch?.stop();
  }

  private onThrottled(task: LimitedTask, reason: ThrottleReason, limit: number): void {
    this.metrics.tasksThrottled.inc({ task_type: task.taskType, reason });
    this.updateGauge(task.taskType);
    const offer = this.offers.get(task.taskId);
    if (!offer || offer.throttledInLog) return;
    offer.throttling = this.recorder!.record(task.executionId, task.taskType, { type: 'RecordTaskThrottled', taskId: task.taskId, reason, limit }).then((outcome) => {
      const ignored = outcome?.decision.ignored;
      if (!outcome || !ignored || ignored.code === 'DUPLICATE_RESULT') return outcome !== undefined;
      // Not pending any more (it ended while this was being recorded): it must not go out.
      this.taskEnded(task.taskType, task.taskId, task.limits);
      return false;
    });
  }

  /** Records TaskDispatched for a task that waited, then sends it, unless it ended meanwhile. */
  private async onAdmitted(task: LimitedTask): Promise<void> {
    const offer = this.offers.get(task.taskId);
    this.offers.delete(task.taskId);
    this.updateGauge(task.taskType);
    const giveBack = () => {
      if (task.limits.concurrency !== undefined) this.limiter?.freeSlot(task.taskType, task.taskId);
    };
    if (!offer) return giveBack();
    if (offer.throttledInLog || offer.throttling) {
      if (offer.throttling && !(await offer.throttling)) return giveBack();
      const outcome = await this.recorder!.record(task.executionId, task.taskType, { type: 'RecordTaskDispatched', taskId: task.taskId });
      if (!outcome) return giveBack();
      if (outcome.state.tasks[task.taskId]?.status !== 'SCHEDULED') return giveBack();
    }
    offer.send();
  }

  private track(admission: Promise<void>): void {
    const tracked = admission.catch((error: unknown) => this.logger.error(`admitting a task failed: ${String(error)}`));
    this.admissions.add(tracked);
    void tracked.finally(() => this.admissions.delete(tracked));
  }

  private updateGauge(taskType: string): void {
    this.metrics.tasksWaiting.set({ task_type: taskType }, this.limiter?.waitingByType().get(taskType) ?? 0);
  }

  private async startWatch(store: KvCasStore): Promise<void> {
    this.watch = await store.watch();
    const watch = this.watch;
    void (async () => {
      try {
        for await (const entry of watch) {
          const { key, value, revision } = KvCasStore.entryOf(entry);
          this.limiter?.observe(key, value, revision);
        }
      } catch (error) {
        this.logger.warn(`limits bucket watch ended (waiters poll every ${POLL_MS} ms): ${String(error)}`);
      }
    })();
  }

  private every(ms: number, run: () => void): void {
    const interval = setInterval(run, ms);
    interval.unref();
    this.intervals.push(interval);
  }
}
