import type { TaskDef, WorkflowDef } from '../definitions/workflow-def';
import type { ParentLink } from './execution-events';

/** What can be asked of one execution. Readonly data; the union is closed. */
export type ExecutionCommand =
  | StartExecution
  | ApplyTaskResult
  | CompleteTaskByRef
  | FireTimer
  | TerminateExecution
  | PauseExecution
  | ResumeExecution
  | RetryExecution
  | RerunExecution
  | RestartExecution
  | SkipTask
  | RecordTaskThrottled
  | RecordTaskDispatched
  | RemoveExecution
  | AddTaskLog;

export type ExecutionCommandType = ExecutionCommand['type'];

export interface StartExecution {
  readonly type: 'StartExecution';
  readonly executionId: string;
  readonly definition: WorkflowDef;
  /** Registered task definitions by name; missing ones get Conductor's defaults. */
  readonly taskDefs: Readonly<Record<string, TaskDef>>;
  readonly input: Readonly<Record<string, unknown>>;
  readonly correlationId?: string;
  readonly idempotencyKey?: string;
  readonly priority?: number;
  readonly parent?: ParentLink;
}

/** Terminal statuses and IN_PROGRESS heartbeats a worker may report. */
export type ReportedTaskStatus = 'COMPLETED' | 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR' | 'IN_PROGRESS';

/** A worker's result for a task attempt (from `baton.result.<type>` or `POST /api/tasks`). */
export interface ApplyTaskResult {
  readonly type: 'ApplyTaskResult';
  readonly taskId: string;
  /** When given, must match the task's attempt. */
  readonly attempt?: number;
  /**
   * The task type (task-definition name) the result was sent for, e.g. `<taskType>` of the
   * `baton.result.<taskType>` subject it arrived on; when given, must be the task's: a worker
   * allowed to publish one type's results cannot complete another type's tasks.
   */
  readonly taskDefName?: string;
  readonly status: ReportedTaskStatus;
  readonly output?: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly workerId?: string;
  readonly logs?: readonly string[];
}

/** Completes or fails the pending task with this reference name (Conductor's `POST /api/tasks/{wf}/{ref}/{status}`), e.g. a WAIT. */
export interface CompleteTaskByRef {
  readonly type: 'CompleteTaskByRef';
  readonly taskRefName: string;
  readonly status: ReportedTaskStatus;
  readonly output?: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly workerId?: string;
}

/** A durable timer is due. */
export interface FireTimer {
  readonly type: 'FireTimer';
  readonly timerId: string;
}

export interface TerminateExecution {
  readonly type: 'TerminateExecution';
  readonly reason: string;
}

/** Stop scheduling new tasks (results are still recorded). */
export interface PauseExecution {
  readonly type: 'PauseExecution';
  readonly reason?: string;
}

/** Continue a paused execution, including what results received meanwhile call for. */
export interface ResumeExecution {
  readonly type: 'ResumeExecution';
}

/** Retry an ended execution from its failed, timed-out and canceled tasks. */
export interface RetryExecution {
  readonly type: 'RetryExecution';
}

/** Rerun an ended execution from one of its tasks, optionally with new task or workflow input. */
export interface RerunExecution {
  readonly type: 'RerunExecution';
  readonly fromTaskId: string;
  readonly taskInput?: Readonly<Record<string, unknown>>;
  readonly workflowInput?: Readonly<Record<string, unknown>>;
}

/** Run an ended execution again from the start, on `definition` when given (the latest version). */
export interface RestartExecution {
  readonly type: 'RestartExecution';
  readonly definition?: WorkflowDef;
  readonly taskDefs?: Readonly<Record<string, TaskDef>>;
}

/** Treat the pending task with this reference name as done, with this output. */
export interface SkipTask {
  readonly type: 'SkipTask';
  readonly taskRefName: string;
  readonly output?: Readonly<Record<string, unknown>>;
  readonly reason?: string;
}

/** The dispatcher holds a task's command back: its type's rate or concurrency limit is reached. */
export interface RecordTaskThrottled {
  readonly type: 'RecordTaskThrottled';
  readonly taskId: string;
  readonly reason: 'CONCURRENCY_LIMIT' | 'RATE_LIMIT';
  readonly limit: number;
}

/** A held-back command went out. */
export interface RecordTaskDispatched {
  readonly type: 'RecordTaskDispatched';
  readonly taskId: string;
}

/** Hide an ended execution from reads and search; its history stays for audit. */
export interface RemoveExecution {
  readonly type: 'RemoveExecution';
  readonly reason?: string;
}

/** Append a log line to a task attempt (any status, also after the execution ended). */
export interface AddTaskLog {
  readonly type: 'AddTaskLog';
  readonly taskId: string;
  readonly log: string;
}
