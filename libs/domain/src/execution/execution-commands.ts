import type { TaskDef, WorkflowDef } from '../definitions/workflow-def';
import type { ParentLink } from './execution-events';

/** What can be asked of one execution. Readonly data; the union is closed. */
export type ExecutionCommand =
  | StartExecution
  | ApplyTaskResult
  | CompleteTaskByRef
  | FireTimer
  | TerminateExecution;

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
