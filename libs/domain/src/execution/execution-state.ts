import { DefinitionIndex } from '../definitions/definition-index';
import type { TaskDef, WorkflowDef, WorkflowTask } from '../definitions/workflow-def';
import type { ParentLink, TimerPurpose } from './execution-events';

/** Conductor's workflow statuses, plus `NOT_STARTED` for a stream that does not exist yet. */
export type ExecutionStatus = 'NOT_STARTED' | 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'TERMINATED' | 'TIMED_OUT';

/** Conductor's task statuses. */
export type TaskStatus =
  | 'SCHEDULED'
  | 'IN_PROGRESS'
  | 'COMPLETED'
  | 'COMPLETED_WITH_ERRORS'
  | 'FAILED'
  | 'FAILED_WITH_TERMINAL_ERROR'
  | 'TIMED_OUT'
  | 'CANCELED'
  | 'SKIPPED';

/** One attempt of one task. */
export interface TaskState {
  readonly taskId: string;
  readonly taskRefName: string;
  readonly taskDefName: string;
  readonly taskType: string;
  /** Position in scheduling order, 1-based (Conductor's `seq`). */
  readonly seq: number;
  readonly attempt: number;
  readonly status: TaskStatus;
  readonly input: Readonly<Record<string, unknown>>;
  readonly output: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly workerId?: string;
  readonly logs: readonly string[];
  readonly scheduledAt: number;
  readonly startedAt?: number;
  /** Last time a worker reported on it (result or heartbeat). */
  readonly updatedAt: number;
  readonly endedAt?: number;
  readonly retriedTaskId?: string;
  /** True once a later attempt was scheduled for it. */
  readonly retried: boolean;
  /** For a DO_WHILE: its current iteration; for a task in a loop body: the iteration it ran in. */
  readonly iteration?: number;
  /** Why its command is waiting (a rate or concurrency limit), until it is dispatched. */
  readonly throttled?: string;
  /** Which deadline it missed, when TIMED_OUT. */
  readonly timeout?: 'RESPONSE_TIMEOUT' | 'TASK_TIMEOUT';
  /** Its attempt timeout passed under ALERT_ONLY (alerted once, not checked again). */
  readonly timeoutAlerted?: boolean;
}

/** A completion received for a WAIT before it was scheduled. */
export interface BufferedSignal {
  readonly status: 'COMPLETED' | 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR';
  readonly output: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly workerId?: string;
  readonly at: number;
}

/** A continuation a paused execution owes: run when it resumes. */
export type DeferredStep =
  | { readonly kind: 'succeeded'; readonly taskId: string }
  | { readonly kind: 'failed'; readonly taskId: string }
  | { readonly kind: 'retry'; readonly retriedTaskId: string };

export interface TimerState {
  readonly timerId: string;
  readonly dueAt: number;
  readonly purpose: TimerPurpose;
}

/** What every execution state holds, started or not. */
export interface ExecutionStateFields {
  readonly executionId: string;
  readonly taskDefs: Readonly<Record<string, TaskDef>>;
  readonly input: Readonly<Record<string, unknown>>;
  readonly output: Readonly<Record<string, unknown>>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly correlationId?: string;
  readonly idempotencyKey?: string;
  readonly priority?: number;
  readonly parent?: ParentLink;
  readonly updatedAt?: number;
  readonly endedAt?: number;
  readonly reason?: string;
  readonly failedTaskRefName?: string;
  /** Every task attempt by id. */
  readonly tasks: Readonly<Record<string, TaskState>>;
  /** Task ids in scheduling order. */
  readonly taskOrder: readonly string[];
  /** Latest attempt of each reference name. */
  readonly latestByRef: Readonly<Record<string, string>>;
  /** Armed timers that have not fired. */
  readonly timers: Readonly<Record<string, TimerState>>;
  /** Tasks a FORK_JOIN_DYNAMIC added at run time, by reference name, with the fork that added them. */
  readonly dynamicTasks: Readonly<Record<string, { readonly task: WorkflowTask; readonly forkRef: string }>>;
  /** Signals waiting for their WAIT task, by reference name. */
  readonly pendingSignals: Readonly<Record<string, BufferedSignal>>;
  /** What results received while paused call for, in order; run on resume. */
  readonly deferred: readonly DeferredStep[];
  /** Counter behind task ids, so ids are deterministic on replay. */
  readonly sequence: number;
  /** Counter behind timer ids. */
  readonly timerSequence: number;
  /** Number of events folded. */
  readonly eventCount: number;
  /** Removed by an operator: hidden from reads, no more commands (the history stays). */
  readonly removed?: boolean;
}

/** An execution whose stream holds no events yet: no definition, nothing to run. */
export interface NotStartedExecution extends ExecutionStateFields {
  readonly status: 'NOT_STARTED';
  readonly definition?: undefined;
  readonly createdAt?: undefined;
}

/** An execution that was started: it runs (or ran) a definition, snapshotted at start. */
export interface StartedExecution extends ExecutionStateFields {
  readonly status: Exclude<ExecutionStatus, 'NOT_STARTED'>;
  readonly definition: WorkflowDef;
  readonly createdAt: number;
}

/**
 * Execution state rebuilt by folding its events with {@link evolve}: a union on `status`, so code
 * that needs the definition narrows to a started execution first ({@link isStarted}).
 */
export type ExecutionState = NotStartedExecution | StartedExecution;

/** The execution was started (its history begins with `ExecutionStarted`). */
export function isStarted(state: ExecutionState): state is StartedExecution {
  return state.status !== 'NOT_STARTED';
}

/** State of an execution with no events. */
export function initialState(executionId = ''): ExecutionState {
  return {
    status: 'NOT_STARTED',
    executionId,
    taskDefs: {},
    input: {},
    output: {},
    variables: {},
    tasks: {},
    taskOrder: [],
    latestByRef: {},
    timers: {},
    pendingSignals: {},
    dynamicTasks: {},
    deferred: [],
    sequence: 0,
    timerSequence: 0,
    eventCount: 0,
  };
}

const TERMINAL_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set([
  'COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT', 'CANCELED', 'SKIPPED',
]);
const SUCCESSFUL_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set(['COMPLETED', 'COMPLETED_WITH_ERRORS', 'SKIPPED']);

/** The task is finished, one way or another. */
export const isTerminalTask = (status: TaskStatus): boolean => TERMINAL_TASK_STATUSES.has(status);
/** The task lets the workflow continue past it. */
export const isSuccessfulTask = (status: TaskStatus): boolean => SUCCESSFUL_TASK_STATUSES.has(status);
/** The execution has ended and accepts no more task results. */
export const isTerminalExecution = (status: ExecutionStatus): boolean =>
  status === 'COMPLETED' || status === 'FAILED' || status === 'TERMINATED' || status === 'TIMED_OUT';

/** The latest attempt of a reference name, if it was ever scheduled. */
export function latestTask(state: ExecutionState, taskRefName: string): TaskState | undefined {
  const taskId = state.latestByRef[taskRefName];
  return taskId === undefined ? undefined : state.tasks[taskId];
}

/** Tasks not yet in a terminal status, in scheduling order. */
export function pendingTasks(state: ExecutionState): TaskState[] {
  return state.taskOrder.map((id) => state.tasks[id]).filter((task): task is TaskState => !!task && !isTerminalTask(task.status));
}

/** Tasks in scheduling order. */
export function tasksInOrder(state: ExecutionState): TaskState[] {
  return state.taskOrder.map((id) => state.tasks[id]).filter((task): task is TaskState => !!task);
}

/** How deep an execution is nested in SUB_WORKFLOW parents: 0 for a top-level one (see {@link ParentLink.depth}). */
export function nestingDepthOf(state: ExecutionState): number {
  return state.parent ? (state.parent.depth ?? 1) : 0;
}

/** The workflow task behind a reference name: from the definition, or added by a FORK_JOIN_DYNAMIC. */
export function workflowTaskOf(state: ExecutionState, taskRefName: string): WorkflowTask | undefined {
  const dynamic = state.dynamicTasks[taskRefName];
  if (dynamic) return dynamic.task;
  return state.definition ? DefinitionIndex.of(state.definition).find(taskRefName)?.task : undefined;
}
