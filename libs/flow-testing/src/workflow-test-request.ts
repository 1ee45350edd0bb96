import type { ExecutionEvent, ExecutionStatus, TaskDef, TaskStatus, WorkflowDef } from '@app/domain';

/** How a mocked attempt ends. `TIMED_OUT`: the worker never answers, so the task's own deadline decides. */
export type MockStatus = 'COMPLETED' | 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR' | 'IN_PROGRESS' | 'TIMED_OUT';

/** The statuses a mocked attempt may have. */
export const MOCK_STATUSES: readonly MockStatus[] = ['COMPLETED', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'IN_PROGRESS', 'TIMED_OUT'];

/**
 * One mocked attempt of a task (Conductor's `TaskMock`): each time a task with this reference
 * name is pending, the next attempt of its list answers it. A retry is a new attempt, so it takes
 * the next entry; `IN_PROGRESS` is a heartbeat (with its output) and the next entry then answers
 * the same attempt.
 */
export interface MockAttempt {
  /** Default `COMPLETED`. */
  readonly status?: MockStatus;
  readonly output?: Readonly<Record<string, unknown>>;
  /** Why it failed (FAILED, FAILED_WITH_TERMINAL_ERROR). */
  readonly reason?: string;
  /** Virtual milliseconds the worker takes, from the moment the task is queued. Default 0. */
  readonly executionTime?: number;
  /** Virtual milliseconds the task waits in the queue before a worker takes it. Default 0. */
  readonly queueWaitTime?: number;
}

/**
 * A flow test: Conductor's `WorkflowTestRequest` (a start request plus `taskRefToMockOutput` and
 * `subWorkflowTestRequest`), run in process on the pure decider with a virtual clock.
 */
export interface WorkflowTestRequest {
  /** The definition to run (Conductor may look it up by `name`; Baton's engine has no registry). */
  readonly workflowDef: WorkflowDef;
  /** Task definitions of its SIMPLE tasks (retries, timeouts); missing ones get Conductor's defaults. */
  readonly taskDefs?: Readonly<Record<string, TaskDef>> | readonly TaskDef[];
  readonly input?: Readonly<Record<string, unknown>>;
  readonly correlationId?: string;
  readonly priority?: number;
  /** Mocked attempts per task reference name. */
  readonly taskRefToMockOutput?: Readonly<Record<string, readonly MockAttempt[]>>;
  /** SUB_WORKFLOW tasks run their child from this request (by the SUB_WORKFLOW's reference name); or mock them like any task. */
  readonly subWorkflowTestRequest?: Readonly<Record<string, WorkflowTestRequest>>;
  /** Execution id of the run (task ids derive from it). Default `flow-test`. */
  readonly executionId?: string;
  /** Virtual start time, epoch ms. Default 0. */
  readonly startTime?: number;
  /** Decisions before the run gives up (a loop that never ends). Default 20,000, as Conductor. */
  readonly maxSteps?: number;
}

/** One task attempt of a run, in scheduling order. */
export interface FlowTaskRun {
  readonly taskRefName: string;
  readonly taskDefName: string;
  readonly taskType: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly status: TaskStatus;
  readonly iteration?: number;
  readonly input: Readonly<Record<string, unknown>>;
  readonly output: Readonly<Record<string, unknown>>;
  readonly reason?: string;
}

/** What a run did. */
export interface FlowTestResult {
  readonly executionId: string;
  /** `RUNNING` (or `PAUSED`) when the run stopped before the execution ended; `stalled` says why. */
  readonly status: ExecutionStatus;
  readonly output: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  /** The reference name of every task attempt, in scheduling order (retries and loop iterations repeat it). */
  readonly path: readonly string[];
  readonly tasks: readonly FlowTaskRun[];
  /** Why the run stopped while the execution had not ended. */
  readonly stalled?: string;
  /** Virtual milliseconds from the start to the last decision. */
  readonly elapsedMs: number;
  /** The whole history, as the orchestrator would have stored it. */
  readonly events: readonly ExecutionEvent[];
  /** Runs of SUB_WORKFLOW children, by the SUB_WORKFLOW task's reference name. */
  readonly subWorkflows: Readonly<Record<string, FlowTestResult>>;
}

/** A completed attempt with this output. */
export const completed = (output: Readonly<Record<string, unknown>> = {}, timing: Pick<MockAttempt, 'executionTime' | 'queueWaitTime'> = {}): MockAttempt => ({ status: 'COMPLETED', output, ...timing });
/** A failed attempt (retried per the task definition). */
export const failed = (reason = 'mocked failure', output?: Readonly<Record<string, unknown>>): MockAttempt => ({ status: 'FAILED', reason, ...(output ? { output } : {}) });
/** A failed attempt that is never retried. */
export const terminalError = (reason = 'mocked terminal error'): MockAttempt => ({ status: 'FAILED_WITH_TERMINAL_ERROR', reason });
/** An attempt whose worker never answers: the task's timeouts decide what happens. */
export const timedOut = (): MockAttempt => ({ status: 'TIMED_OUT' });
/** A heartbeat with progress output; the next mocked attempt answers the same task. */
export const inProgress = (output: Readonly<Record<string, unknown>> = {}, executionTime = 0): MockAttempt => ({ status: 'IN_PROGRESS', output, executionTime });
