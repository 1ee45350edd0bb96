import type { InProcessTaskType, ReportedTaskStatus } from '@app/domain';

/** A scheduled in-process task, as its runner gets it. */
export interface InProcessTask {
  readonly executionId: string;
  readonly taskId: string;
  readonly taskType: InProcessTaskType;
  readonly taskRefName: string;
  /** The resolved task input (the decider's TaskScheduled input). */
  readonly input: Readonly<Record<string, unknown>>;
  /** The workflow task's top-level `asyncComplete` (HTTP: a 2xx leaves the task in progress). */
  readonly asyncComplete: boolean;
}

/** What a runner reports: recorded as the task's result, like a worker's. */
export interface InProcessOutcome {
  readonly status: ReportedTaskStatus;
  readonly output: Readonly<Record<string, unknown>>;
  readonly reason?: string;
}

/**
 * Runs one kind of in-process task (HTTP, a script, jq). `run` never throws for what the task
 * does: a bad input or a failed call is an outcome. `signal` aborts it when the task is canceled
 * or the orchestrator stops.
 */
export interface InProcessRunner {
  readonly taskTypes: readonly InProcessTaskType[];
  /** Tasks of this runner that may run at once; more queue. */
  readonly concurrency: number;
  run(task: InProcessTask, signal: AbortSignal): Promise<InProcessOutcome>;
}

/** DI token of the list of {@link InProcessRunner}s. */
export const IN_PROCESS_RUNNERS = Symbol('IN_PROCESS_RUNNERS');

/** A failed attempt with its reason in `reason` and in `output.error`, as Conductor reports it. */
export function failedOutcome(reason: string, status: 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR' = 'FAILED', output: Readonly<Record<string, unknown>> = {}): InProcessOutcome {
  return { status, reason, output: { ...output, error: reason } };
}
