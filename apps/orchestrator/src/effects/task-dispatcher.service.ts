import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { cappedBackoff, delay } from '@app/common';
import type { StartedExecution, TaskScheduled } from '@app/domain';
import { JetStreamPublisher, taskSubject } from '@app/messaging';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { TaskLimitsService } from '../limits/task-limits.service';
import { limitsOfTask } from '../limits/task-limits';
import { taskCommandOf } from './task-command.factory';

/** Between tries of a publish that failed: 200 ms doubling up to 5 s. */
const PUBLISH_RETRY = { initialMs: 200, maxMs: 5_000 };

/**
 * Sends task commands to workers (`baton.task.<type>`, Nats-Msg-Id = task id). A publish that
 * fails is retried until it succeeds; a crash before it does is covered by recovery on start.
 * Rate and concurrency limits of task types are enforced here, before a command goes out.
 */
@Injectable()
export class TaskDispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger(TaskDispatcher.name);
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    @Inject(JetStreamPublisher) private readonly publisher: JetStreamPublisher,
    private readonly metrics: OrchestratorMetrics,
    private readonly limits: TaskLimitsService,
  ) {}

  /**
   * A SIMPLE task was scheduled (or recovery found it still waiting): send its command, at once
   * for a type without limits, else once its type's rate and concurrency limits allow.
   */
  dispatch(state: StartedExecution, scheduled: TaskScheduled['data']): void {
    const command = taskCommandOf(state, scheduled);
    const send = () => this.track(`task ${command.taskId}`, () => this.publisher.publish(taskSubject(command.taskType), command, { msgId: command.taskId }).then(() => undefined));
    const limits = limitsOfTask(state, scheduled.taskRefName, scheduled.taskDefName);
    if (!limits) return send();
    const task = { executionId: state.executionId, taskId: command.taskId, taskType: command.taskType, limits };
    this.limits.admit(task, state.tasks[command.taskId]?.throttled !== undefined, send);
  }

  /** A worker task ended (completed, failed, timed out, canceled or skipped): its capacity is free again. */
  taskEnded(state: StartedExecution, taskId: string): void {
    const task = state.tasks[taskId];
    const limits = task && limitsOfTask(state, task.taskRefName, task.taskDefName);
    if (limits) this.limits.taskEnded(task.taskDefName, taskId, limits);
  }

  /** Runs a publish until it succeeds (or shutdown), keeping it visible to graceful shutdown. */
  track(what: string, publish: () => Promise<void>): void {
    const run = (async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await publish();
          return;
        } catch (error) {
          if (this.stopping) {
            this.logger.warn(`shutting down before ${what} was published (recovery republishes it): ${String(error)}`);
            return;
          }
          this.metrics.publishRetries.inc();
          this.logger.warn(`publishing ${what} failed (attempt ${attempt}), retrying: ${String(error)}`);
          await delay(cappedBackoff(attempt, PUBLISH_RETRY));
        }
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** Waits (bounded) for publishes in flight. */
  async flush(timeoutMs = 10_000): Promise<void> {
    const all = Promise.allSettled([...this.inFlight]);
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
    this.stopping = true;
  }
}
