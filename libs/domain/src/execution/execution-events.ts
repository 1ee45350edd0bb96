import type { TaskDef, WorkflowDef, WorkflowTask } from '../definitions/workflow-def';

/**
 * Events of one workflow execution, stored in the stream `execution-<executionId>`.
 * Past tense, readonly data, timestamps in epoch milliseconds (`at`). The union is closed:
 * every `switch` over it ends with a `never` check.
 */
export type ExecutionEvent =
  | ExecutionStarted
  | TaskScheduled
  | TaskProgressReported
  | TaskCompleted
  | TaskFailed
  | TaskTimedOut
  | TaskCanceled
  | TaskSkipped
  | TaskCompletedWithErrors
  | TaskThrottled
  | TaskDispatched
  | TimeoutAlerted
  | TimerStarted
  | TimerFired
  | SignalReceived
  | VariablesUpdated
  | LoopIterationStarted
  | DynamicTasksForked
  | ExecutionCompleted
  | ExecutionFailed
  | ExecutionTerminated
  | ExecutionTimedOut
  | ExecutionPaused
  | ExecutionResumed
  | ExecutionRetried
  | ExecutionRerun
  | ExecutionRestarted
  | ExecutionRemoved
  | TaskLogAdded;

export type ExecutionEventType = ExecutionEvent['type'];

/** Links a child execution to the task of the parent that started it. */
export interface ParentLink {
  readonly executionId: string;
  readonly taskId: string;
  /**
   * How deep the child is nested: 1 for a child of a top-level execution, its parent's depth + 1
   * below. Kept in the history so the nesting limit holds across restarts and replicas; absent in
   * histories written before it was recorded (read as 1).
   */
  readonly depth?: number;
}

export interface ExecutionStarted {
  readonly type: 'ExecutionStarted';
  readonly data: {
    readonly executionId: string;
    /** Full definition snapshot: a history replays without the registry. */
    readonly definition: WorkflowDef;
    /** Snapshot of every task definition the workflow's SIMPLE tasks use. */
    readonly taskDefs: Readonly<Record<string, TaskDef>>;
    readonly input: Readonly<Record<string, unknown>>;
    readonly correlationId?: string;
    readonly idempotencyKey?: string;
    readonly priority?: number;
    readonly parent?: ParentLink;
    readonly at: number;
  };
}

/** A task (one attempt) was scheduled. For system tasks it is followed by its completion in the same decision. */
export interface TaskScheduled {
  readonly type: 'TaskScheduled';
  readonly data: {
    readonly taskId: string;
    readonly taskRefName: string;
    /** Conductor `taskDefName` (the workflow task's `name`). */
    readonly taskDefName: string;
    /** Effective type: SIMPLE, SWITCH, FORK_JOIN, JOIN, WAIT, TERMINATE… */
    readonly taskType: string;
    /** 1 for the first attempt. */
    readonly attempt: number;
    readonly input: Readonly<Record<string, unknown>>;
    /** The attempt this one retries. */
    readonly retriedTaskId?: string;
    /** Iteration of the innermost DO_WHILE it runs in (1-based). */
    readonly iteration?: number;
    /** A SUB_WORKFLOW whose `subWorkflowParam` holds expressions or an inline definition: what they resolved to. */
    readonly subWorkflow?: ResolvedSubWorkflow;
    readonly at: number;
  };
}

/** The child a SUB_WORKFLOW task runs, resolved when it was scheduled. */
export interface ResolvedSubWorkflow {
  readonly name: string;
  /** Absent: the latest registered version. */
  readonly version?: number;
  /** An inline definition to run instead of a registered one. */
  readonly definition?: WorkflowDef;
}

/** An IN_PROGRESS update (heartbeat) from a worker, or a WAIT task being started. */
export interface TaskProgressReported {
  readonly type: 'TaskProgressReported';
  readonly data: {
    readonly taskId: string;
    readonly workerId?: string;
    readonly output?: Readonly<Record<string, unknown>>;
    readonly logs?: readonly string[];
    readonly at: number;
  };
}

export interface TaskCompleted {
  readonly type: 'TaskCompleted';
  readonly data: {
    readonly taskId: string;
    readonly output: Readonly<Record<string, unknown>>;
    readonly workerId?: string;
    readonly logs?: readonly string[];
    readonly at: number;
  };
}

export interface TaskFailed {
  readonly type: 'TaskFailed';
  readonly data: {
    readonly taskId: string;
    readonly reason: string;
    /** FAILED_WITH_TERMINAL_ERROR: never retried. */
    readonly terminal: boolean;
    readonly output?: Readonly<Record<string, unknown>>;
    readonly workerId?: string;
    readonly logs?: readonly string[];
    readonly at: number;
  };
}

/** Which deadline a task missed. */
export type TaskTimeoutKind = 'RESPONSE_TIMEOUT' | 'TASK_TIMEOUT';

export interface TaskTimedOut {
  readonly type: 'TaskTimedOut';
  readonly data: {
    readonly taskId: string;
    readonly reason: string;
    readonly timeout?: TaskTimeoutKind;
    readonly at: number;
  };
}

/** A pending task stopped because its execution ended (terminate, failure elsewhere, TERMINATE task). */
export interface TaskCanceled {
  readonly type: 'TaskCanceled';
  readonly data: {
    readonly taskId: string;
    readonly reason: string;
    readonly at: number;
  };
}

/** An operator skipped a pending task (`PUT /api/workflow/{id}/skiptask/{ref}`): it counts as done with this output. */
export interface TaskSkipped {
  readonly type: 'TaskSkipped';
  readonly data: {
    readonly taskId: string;
    readonly output: Readonly<Record<string, unknown>>;
    readonly reason?: string;
    readonly at: number;
  };
}

/**
 * An optional task failed or timed out with no retry left: it becomes COMPLETED_WITH_ERRORS (a
 * successful end, Conductor's status) and the flow goes on past it. Follows its TaskFailed or
 * TaskTimedOut, whose reason it keeps.
 */
export interface TaskCompletedWithErrors {
  readonly type: 'TaskCompletedWithErrors';
  readonly data: {
    readonly taskId: string;
    readonly at: number;
  };
}

/** A task's command waits: its task type's rate or concurrency limit is reached. */
export interface TaskThrottled {
  readonly type: 'TaskThrottled';
  readonly data: {
    readonly taskId: string;
    readonly reason: 'CONCURRENCY_LIMIT' | 'RATE_LIMIT';
    readonly limit: number;
    readonly at: number;
  };
}

/** A throttled task's command went out once capacity freed up. */
export interface TaskDispatched {
  readonly type: 'TaskDispatched';
  readonly data: {
    readonly taskId: string;
    readonly at: number;
  };
}

/** A timeout with policy ALERT_ONLY passed: recorded (and counted), nothing else changes. */
export interface TimeoutAlerted {
  readonly type: 'TimeoutAlerted';
  readonly data: {
    /** The task that is late; absent for the workflow's own timeout. */
    readonly taskId?: string;
    readonly reason: string;
    readonly at: number;
  };
}

/** Why a timer was armed; what firing it means. */
export type TimerPurpose =
  | { readonly kind: 'RETRY'; readonly taskRefName: string; readonly retriedTaskId: string }
  | { readonly kind: 'WAIT'; readonly taskId: string }
  /** The task's deadlines (response timeout, task timeout) are checked when it fires. */
  | { readonly kind: 'TASK_TIMEOUT'; readonly taskId: string }
  | { readonly kind: 'WORKFLOW_TIMEOUT' };

/** The task a timer is about, if any (its timers end with it). */
export function timerTaskId(purpose: TimerPurpose): string | undefined {
  return purpose.kind === 'WAIT' || purpose.kind === 'TASK_TIMEOUT' ? purpose.taskId : undefined;
}

/** A durable timer: the orchestrator's timer service fires it at `dueAt` (also after a crash). */
export interface TimerStarted {
  readonly type: 'TimerStarted';
  readonly data: {
    /** Unique within the execution. */
    readonly timerId: string;
    readonly dueAt: number;
    readonly purpose: TimerPurpose;
    readonly at: number;
  };
}

export interface TimerFired {
  readonly type: 'TimerFired';
  readonly data: {
    readonly timerId: string;
    readonly at: number;
  };
}

/**
 * A completion for a WAIT task that has not been reached yet (e.g. a payment confirmation that
 * overtook the charge result). Kept until the WAIT is scheduled, which then completes at once.
 */
export interface SignalReceived {
  readonly type: 'SignalReceived';
  readonly data: {
    readonly taskRefName: string;
    readonly status: 'COMPLETED' | 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR';
    readonly output: Readonly<Record<string, unknown>>;
    readonly reason?: string;
    readonly workerId?: string;
    readonly at: number;
  };
}

/** A SET_VARIABLE task changed workflow variables (`${workflow.variables.k}`). */
export interface VariablesUpdated {
  readonly type: 'VariablesUpdated';
  readonly data: {
    readonly taskId: string;
    readonly variables: Readonly<Record<string, unknown>>;
    readonly at: number;
  };
}

/** A DO_WHILE starts an iteration of its body (1 at the start, then each time its condition holds). */
export interface LoopIterationStarted {
  readonly type: 'LoopIterationStarted';
  readonly data: {
    readonly taskId: string;
    readonly iteration: number;
    /** A loop over `items`: the element this iteration runs for (`${loop.output.loopItem}`) and its 0-based index. */
    readonly loopItem?: unknown;
    readonly loopIndex?: number;
    readonly at: number;
  };
}

/** A FORK_JOIN_DYNAMIC decided its branches at run time: these tasks (one per branch) join the definition for this execution. */
export interface DynamicTasksForked {
  readonly type: 'DynamicTasksForked';
  readonly data: {
    readonly taskId: string;
    readonly forkRef: string;
    readonly tasks: readonly WorkflowTask[];
    readonly at: number;
  };
}

export interface ExecutionCompleted {
  readonly type: 'ExecutionCompleted';
  readonly data: {
    readonly output: Readonly<Record<string, unknown>>;
    readonly at: number;
  };
}

export interface ExecutionFailed {
  readonly type: 'ExecutionFailed';
  readonly data: {
    readonly reason: string;
    readonly failedTaskRefName?: string;
    readonly failedTaskId?: string;
    readonly output: Readonly<Record<string, unknown>>;
    readonly at: number;
  };
}

/** Ended by an operator (`DELETE /api/workflow/{id}`) or a TERMINATE task. */
export interface ExecutionTerminated {
  readonly type: 'ExecutionTerminated';
  readonly data: {
    readonly reason: string;
    readonly output: Readonly<Record<string, unknown>>;
    /** The TERMINATE task that ended it, when one did. */
    readonly byTaskRefName?: string;
    readonly at: number;
  };
}

/** The workflow's own timeoutSeconds passed with policy TIME_OUT_WF. */
export interface ExecutionTimedOut {
  readonly type: 'ExecutionTimedOut';
  readonly data: {
    readonly reason: string;
    readonly output: Readonly<Record<string, unknown>>;
    readonly failedTaskRefName?: string;
    readonly at: number;
  };
}

/** An operator paused the execution: results are still recorded, nothing new is scheduled. */
export interface ExecutionPaused {
  readonly type: 'ExecutionPaused';
  readonly data: { readonly reason?: string; readonly at: number };
}

/** Scheduling goes on, including what results received while paused call for. */
export interface ExecutionResumed {
  readonly type: 'ExecutionResumed';
  readonly data: { readonly at: number };
}

/** An operator retried an ended execution from its failed (and canceled) tasks. */
export interface ExecutionRetried {
  readonly type: 'ExecutionRetried';
  readonly data: { readonly taskRefNames: readonly string[]; readonly at: number };
}

/** An operator reran an ended execution from one of its tasks, optionally with new input. */
export interface ExecutionRerun {
  readonly type: 'ExecutionRerun';
  readonly data: {
    readonly fromTaskId: string;
    readonly taskInput?: Readonly<Record<string, unknown>>;
    readonly workflowInput?: Readonly<Record<string, unknown>>;
    readonly at: number;
  };
}

/** An operator restarted an ended execution from the beginning (on a newer definition when given). */
export interface ExecutionRestarted {
  readonly type: 'ExecutionRestarted';
  readonly data: {
    readonly definition?: WorkflowDef;
    readonly taskDefs?: Readonly<Record<string, TaskDef>>;
    readonly at: number;
  };
}

/**
 * An operator removed an ended execution (Conductor's `DELETE /api/workflow/{id}/remove`). Unlike
 * Conductor, which erases it, Baton keeps the stream for audit: the execution is hidden from reads
 * and search and accepts no more commands.
 */
export interface ExecutionRemoved {
  readonly type: 'ExecutionRemoved';
  readonly data: {
    readonly reason?: string;
    readonly at: number;
  };
}

/** A log line added to a task attempt from outside its results (Conductor's `POST /api/tasks/{taskId}/log`). */
export interface TaskLogAdded {
  readonly type: 'TaskLogAdded';
  readonly data: {
    readonly taskId: string;
    readonly log: string;
    readonly at: number;
  };
}

/** Event types that end an execution. */
export const TERMINAL_EVENT_TYPES: ReadonlySet<ExecutionEventType> = new Set(['ExecutionCompleted', 'ExecutionFailed', 'ExecutionTerminated', 'ExecutionTimedOut']);

/** Exhaustiveness check for `switch` statements over closed unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/** Every execution event type; the `Record` makes the compiler ask for each new type here. */
const EVENT_TYPES: Readonly<Record<ExecutionEventType, true>> = {
  ExecutionStarted: true,
  TaskScheduled: true,
  TaskProgressReported: true,
  TaskCompleted: true,
  TaskFailed: true,
  TaskTimedOut: true,
  TaskCanceled: true,
  TaskSkipped: true,
  TaskCompletedWithErrors: true,
  TaskThrottled: true,
  TaskDispatched: true,
  TimeoutAlerted: true,
  TimerStarted: true,
  TimerFired: true,
  SignalReceived: true,
  VariablesUpdated: true,
  LoopIterationStarted: true,
  DynamicTasksForked: true,
  ExecutionCompleted: true,
  ExecutionFailed: true,
  ExecutionTerminated: true,
  ExecutionTimedOut: true,
  ExecutionPaused: true,
  ExecutionResumed: true,
  ExecutionRetried: true,
  ExecutionRerun: true,
  ExecutionRestarted: true,
  ExecutionRemoved: true,
  TaskLogAdded: true,
};

/** Every execution event type this version knows. */
export const EXECUTION_EVENT_TYPES: readonly ExecutionEventType[] = Object.keys(EVENT_TYPES) as ExecutionEventType[];

/** True for the type of an execution event this version knows. */
export function isExecutionEventType(type: string): type is ExecutionEventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, type);
}
