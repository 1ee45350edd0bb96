import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { cappedBackoff, delay } from '@app/common';
import { isInProcessTaskType, workflowTaskOf, type StartedExecution, type TaskScheduled } from '@app/domain';
import { EXECUTION_COMMANDS, type ExecutionCommands } from '../../executions/execution-commands.port';
import { OrchestratorMetrics } from '../../health/orchestrator-metrics.service';
import { IN_PROCESS_RUNNERS, type InProcessOutcome, type InProcessRunner, type InProcessTask } from './in-process-runner';

/** Between tries of recording an outcome the store refused (an outage): 200 ms doubling up to 5 s. */
const RECORD_RETRY = { initialMs: 200, maxMs: 5_000 };

interface Lane {
  readonly runner: InProcessRunner;
  readonly waiting: InProcessTask[];
  running: number;
}

/**
 * The orchestrator's in-process runners of system tasks (HTTP, INLINE and LAMBDA scripts,
 * JSON_JQ_TRANSFORM): a registry of runners by task type, each with its own concurrency bound.
 * A task scheduled by the decider is run once its TaskScheduled event is stored, and its outcome
 * goes back through the command path as an ordinary task result (`ApplyTaskResult`, worker
 * `baton`), so it is recorded and a replay never runs it again.
 *
 * Crash safety is at-least-once: a task still SCHEDULED after a restart (it was running, or its
 * outcome was not stored yet) is run again by recovery. A task is run at most once at a time per
 * replica; a second copy of an outcome is ignored by the decider (a duplicate result).
 */
@Injectable()
export class InProcessTasks implements OnApplicationShutdown {
  private readonly logger = new Logger(InProcessTasks.name);
  private readonly lanes = new Map<string, Lane>();
  /** Tasks queued or running, by id: their abort controllers. */
  private readonly active = new Map<string, AbortController>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    @Inject(IN_PROCESS_RUNNERS) runners: readonly InProcessRunner[],
    @Inject(EXECUTION_COMMANDS) private readonly executions: ExecutionCommands,
    private readonly metrics: OrchestratorMetrics,
  ) {
    for (const runner of runners) for (const type of runner.taskTypes) this.lanes.set(type, { runner, waiting: [], running: 0 });
  }

  /** True when a runner exists for this task type. */
  handles(taskType: string): boolean {
    return this.lanes.has(taskType);
  }

  /** A task was scheduled (or recovery found it still SCHEDULED): run it when its runner has room. */
  enqueue(state: StartedExecution, scheduled: TaskScheduled['data']): void {
    const lane = this.lanes.get(scheduled.taskType);
    if (!lane || this.stopping || this.active.has(scheduled.taskId) || !isInProcessTaskType(scheduled.taskType)) return;
    // A value-param INLINE was evaluated by the decider in the same decision: nothing left to run.
    if (state.tasks[scheduled.taskId]?.status !== 'SCHEDULED') return;
    this.active.set(scheduled.taskId, new AbortController());
    lane.waiting.push({
      executionId: state.executionId,
      taskId: scheduled.taskId,
      taskType: scheduled.taskType,
      taskRefName: scheduled.taskRefName,
      input: scheduled.input,
      asyncComplete: workflowTaskOf(state, scheduled.taskRefName)?.asyncComplete === true,
    });
    this.pump(lane);
  }

  /** A task ended another way (canceled, timed out, completed by an operator): stop running it. */
  taskEnded(taskId: string): void {
    this.active.get(taskId)?.abort();
  }

  /** Waits (bounded) for the tasks running now. */
  async flush(timeoutMs = 10_000): Promise<void> {
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  async onApplicationShutdown(): Promise<void> {
    // What is cut short stays SCHEDULED in the log: recovery runs it again on the next start.
    this.stopping = true;
    for (const controller of this.active.values()) controller.abort();
    for (const lane of this.lanes.values()) lane.waiting.length = 0;
    await this.flush(5_000);
  }

  private pump(lane: Lane): void {
    while (lane.running < lane.runner.concurrency && lane.waiting.length > 0) {
      const task = lane.waiting.shift()!;
      lane.running += 1;
      const run = this.execute(lane.runner, task).finally(() => {
        lane.running -= 1;
        this.active.delete(task.taskId);
        this.inFlight.delete(run);
        this.pump(lane);
      });
      this.inFlight.add(run);
    }
  }

  private async execute(runner: InProcessRunner, task: InProcessTask): Promise<void> {
    const signal = this.active.get(task.taskId)?.signal ?? AbortSignal.abort();
    if (signal.aborted) return;
    const started = performance.now();
    let outcome: InProcessOutcome;
    try {
      outcome = await runner.run(task, signal);
    } catch (error) {
      // A runner bug, not the task's doing: the task fails (retried per its definition) instead of hanging.
      outcome = { status: 'FAILED', reason: `${task.taskType} runner failed: ${error instanceof Error ? error.message : String(error)}`, output: {} };
    }
    this.metrics.inProcessTasks.observe({ task_type: task.taskType, status: outcome.status }, (performance.now() - started) / 1000);
    if (signal.aborted) return; // canceled meanwhile, or shutting down: recovery reruns what is still SCHEDULED
    await this.record(task, outcome);
  }

  private async record(task: InProcessTask, outcome: InProcessOutcome): Promise<void> {
    const command = { type: 'ApplyTaskResult', taskId: task.taskId, status: outcome.status, output: outcome.output, workerId: 'baton', ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}) } as const;
    const cause = { causationId: `in-process:${task.taskId}`, actor: `orchestrator:${task.taskType.toLowerCase()}` };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.executions.command(task.executionId, command, cause);
        return;
      } catch (error) {
        if (this.stopping) return;
        this.logger.warn(`recording the outcome of ${task.taskType} task ${task.taskId} failed (attempt ${attempt}), retrying: ${String(error)}`);
        await delay(cappedBackoff(attempt, RECORD_RETRY));
      }
    }
  }
}
