import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ExecutionEvent, ExecutionState } from '@app/domain';
import type { Position } from '@app/event-store';
import { JetStreamPublisher, executionSubject, taskSubject } from '@app/messaging';
import { TimerService } from '../timers/timer.service';
import { OrchestratorMetrics } from '../health/orchestrator-metrics';
import type { ExecutionEffects } from './execution-effects.port';
import { taskCommandOf } from './task-command.factory';

/** Terminal execution events and the status they announce on `baton.execution.<status>`. */
const END_STATUS: Partial<Record<ExecutionEvent['type'], string>> = {
  ExecutionCompleted: 'COMPLETED',
  ExecutionFailed: 'FAILED',
  ExecutionTerminated: 'TERMINATED',
};

/**
 * Effects of stored events: publishes task commands (Nats-Msg-Id = task id, so a republish is
 * deduplicated), arms and disarms durable timers, announces ended executions. A failed publish
 * is retried until it succeeds; a crash before it does is covered by recovery on start.
 */
@Injectable()
export class ExecutionEffectsService implements ExecutionEffects, OnApplicationShutdown {
  private readonly logger = new Logger(ExecutionEffectsService.name);
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    @Inject(JetStreamPublisher) private readonly publisher: JetStreamPublisher,
    private readonly timers: TimerService,
    private readonly metrics: OrchestratorMetrics,
  ) {}

  afterAppend(state: ExecutionState, events: readonly ExecutionEvent[], _position: Position): void {
    for (const event of events) {
      switch (event.type) {
        case 'TaskScheduled':
          if (event.data.taskType === 'SIMPLE') this.publishTask(state, event.data);
          break;
        case 'TimerStarted':
          this.timers.arm({ executionId: state.executionId, timerId: event.data.timerId, dueAt: event.data.dueAt });
          break;
        case 'TimerFired':
          this.timers.disarm(state.executionId, event.data.timerId);
          break;
        case 'ExecutionCompleted':
        case 'ExecutionFailed':
        case 'ExecutionTerminated':
          this.timers.disarmExecution(state.executionId);
          this.announceEnd(state, END_STATUS[event.type]!);
          break;
        default:
          break;
      }
      this.metrics.eventsAppended.inc({ type: event.type });
    }
  }

  /** Publishes the command of a scheduled task (used by recovery too). */
  publishTask(state: ExecutionState, scheduled: Parameters<typeof taskCommandOf>[1]): void {
    const command = taskCommandOf(state, scheduled);
    this.track(`task ${command.taskId}`, () => this.publisher.publish(taskSubject(command.taskType), command, { msgId: command.taskId }).then(() => undefined));
  }

  private announceEnd(state: ExecutionState, status: string): void {
    const body = {
      executionId: state.executionId,
      workflowName: state.definition?.name,
      workflowVersion: state.definition?.version ?? 1,
      status,
      correlationId: state.correlationId,
      output: state.output,
      reason: state.reason,
      endedAt: state.endedAt,
    };
    this.metrics.executionsEnded.inc({ status });
    this.track(`notification ${state.executionId}`, () =>
      this.publisher.publish(executionSubject(status), body, { msgId: `${state.executionId}:${status}` }).then(() => undefined),
    );
  }

  /** Runs a publish until it succeeds (or shutdown), keeping it visible to graceful shutdown. */
  private track(what: string, publish: () => Promise<void>): void {
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
          await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** Math.min(attempt, 6))));
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
