import { assertNever, timerTaskId, type ExecutionEvent } from './execution-events';
import { isInProcessTaskType } from '../planners/in-process.planner';
import type { WorkflowDef, WorkflowTask } from '../definitions/workflow-def';
import type { BufferedSignal, DeferredStep, ExecutionState, ExecutionStateFields, ExecutionStatus, TaskState, TaskStatus, TimerState } from './execution-state';

/**
 * Applies one event to the state. Pure and total: replaying the same events always gives the
 * same state. Never mutates its input (cached states are shared).
 */
export function evolve(state: ExecutionState, event: ExecutionEvent): ExecutionState {
  const draft = draftOf(state);
  applyTo(draft, event);
  return asState(draft);
}

/**
 * Folds a whole history (or a decision's events). Same result as folding with {@link evolve},
 * but the state is copied once, not once per event.
 */
export function replay(events: readonly ExecutionEvent[], from: ExecutionState): ExecutionState {
  if (events.length === 0) return from;
  const draft = draftOf(from);
  for (const event of events) applyTo(draft, event);
  return asState(draft);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A private copy that may be changed in place: the collections are copied, their items are not
 * (items are replaced, never changed). Unlike {@link ExecutionState} it is not a union on
 * `status`: an event changes the status and the fields that go with it one assignment at a time.
 */
export interface ExecutionDraft extends Mutable<ExecutionStateFields> {
  status: ExecutionStatus;
  definition?: WorkflowDef;
  createdAt?: number;
  tasks: Record<string, TaskState>;
  taskOrder: string[];
  latestByRef: Record<string, string>;
  timers: Record<string, TimerState>;
  pendingSignals: Record<string, BufferedSignal>;
  dynamicTasks: Record<string, { readonly task: WorkflowTask; readonly forkRef: string }>;
  deferred: DeferredStep[];
}

/**
 * A draft as the state it now is. The union's rule (a started execution has its definition and
 * start time) holds by construction: only `ExecutionStarted` leaves `NOT_STARTED`, and it sets
 * both; no event goes back.
 */
export function asState(draft: ExecutionDraft): ExecutionState {
  return draft as ExecutionState;
}

/** A writable copy of a state; `applyTo` then changes it without touching the original. */
export function draftOf(state: ExecutionState): ExecutionDraft {
  return {
    ...state,
    tasks: { ...state.tasks },
    taskOrder: [...state.taskOrder],
    latestByRef: { ...state.latestByRef },
    timers: { ...state.timers },
    pendingSignals: { ...state.pendingSignals },
    dynamicTasks: { ...state.dynamicTasks },
    deferred: [...state.deferred],
  };
}

/** Applies an event to a draft in place (see {@link draftOf}). */
export function applyTo(draft: ExecutionDraft, event: ExecutionEvent): void {
  draft.eventCount += 1;
  switch (event.type) {
    case 'ExecutionStarted': {
      const d = event.data;
      draft.status = 'RUNNING';
      draft.executionId = d.executionId;
      draft.definition = d.definition;
      draft.taskDefs = d.taskDefs;
      draft.input = d.input;
      draft.variables = { ...(d.definition.variables ?? {}) };
      draft.correlationId = d.correlationId;
      draft.idempotencyKey = d.idempotencyKey;
      draft.priority = d.priority;
      draft.parent = d.parent;
      draft.createdAt = d.at;
      draft.updatedAt = d.at;
      return;
    }
    case 'TaskScheduled': {
      const d = event.data;
      // A worker task waits to be picked up, an in-process task (HTTP, a script, jq) to be run; other system tasks start at once.
      const simple = d.taskType === 'SIMPLE' || isInProcessTaskType(d.taskType);
      draft.tasks[d.taskId] = {
        taskId: d.taskId,
        taskRefName: d.taskRefName,
        taskDefName: d.taskDefName,
        taskType: d.taskType,
        seq: draft.taskOrder.length + 1,
        attempt: d.attempt,
        status: simple ? 'SCHEDULED' : 'IN_PROGRESS',
        input: d.input,
        output: {},
        logs: [],
        scheduledAt: d.at,
        startedAt: simple ? undefined : d.at,
        updatedAt: d.at,
        retriedTaskId: d.retriedTaskId,
        retried: false,
        ...(d.iteration !== undefined ? { iteration: d.iteration } : {}),
      };
      if (d.retriedTaskId) markRetried(draft, d.retriedTaskId);
      draft.taskOrder.push(d.taskId);
      draft.latestByRef[d.taskRefName] = d.taskId;
      draft.sequence += 1;
      draft.updatedAt = d.at;
      return;
    }
    case 'TaskProgressReported': {
      const d = event.data;
      updateTask(draft, d.taskId, d.at, (task) => ({
        ...task,
        status: 'IN_PROGRESS',
        startedAt: task.startedAt ?? d.at,
        workerId: d.workerId ?? task.workerId,
        output: mergeOutput(task.output, d.output),
        logs: d.logs?.length ? [...task.logs, ...d.logs] : task.logs,
        updatedAt: d.at,
      }));
      return;
    }
    case 'TaskCompleted': {
      const d = event.data;
      updateTask(draft, d.taskId, d.at, (task) => finish(task, 'COMPLETED', d.at, { output: d.output, workerId: d.workerId, logs: d.logs }));
      taskEnded(draft, d.taskId, 'succeeded');
      return;
    }
    case 'TaskFailed': {
      const d = event.data;
      const status = d.terminal ? 'FAILED_WITH_TERMINAL_ERROR' : 'FAILED';
      updateTask(draft, d.taskId, d.at, (task) => finish(task, status, d.at, { output: d.output, workerId: d.workerId, logs: d.logs, reason: d.reason }));
      taskEnded(draft, d.taskId, 'failed');
      return;
    }
    case 'TaskTimedOut': {
      const d = event.data;
      updateTask(draft, d.taskId, d.at, (task) => ({ ...finish(task, 'TIMED_OUT', d.at, { reason: d.reason }), timeout: d.timeout ?? 'RESPONSE_TIMEOUT' }));
      taskEnded(draft, d.taskId, 'failed');
      return;
    }
    case 'TaskCanceled': {
      const d = event.data;
      updateTask(draft, d.taskId, d.at, (task) => finish(task, 'CANCELED', d.at, { reason: d.reason }));
      taskEnded(draft, d.taskId);
      return;
    }
    case 'TaskSkipped': {
      const d = event.data;
      updateTask(draft, d.taskId, d.at, (task) => finish(task, 'SKIPPED', d.at, { output: d.output, reason: d.reason }));
      taskEnded(draft, d.taskId, 'succeeded');
      return;
    }
    case 'TaskCompletedWithErrors': {
      const d = event.data;
      updateTask(draft, d.taskId, d.at, (task) => ({ ...task, status: 'COMPLETED_WITH_ERRORS' }));
      return;
    }
    case 'TaskThrottled': {
      const d = event.data;
      updateTask(draft, d.taskId, d.at, (task) => ({ ...task, throttled: `${d.reason} (${d.limit})` }));
      return;
    }
    case 'TaskDispatched': {
      const d = event.data;
      updateTask(draft, d.taskId, d.at, (task) => ({ ...task, throttled: undefined }));
      return;
    }
    case 'TimeoutAlerted': {
      const d = event.data;
      if (d.taskId !== undefined) {
        const task = draft.tasks[d.taskId];
        if (task) draft.tasks[d.taskId] = { ...task, timeoutAlerted: true };
      }
      draft.updatedAt = d.at;
      return;
    }
    case 'TimerStarted': {
      const d = event.data;
      // A failed attempt waiting for its retry delay is already "being retried".
      if (d.purpose.kind === 'RETRY') markRetried(draft, d.purpose.retriedTaskId);
      draft.timers[d.timerId] = { timerId: d.timerId, dueAt: d.dueAt, purpose: d.purpose };
      draft.timerSequence += 1;
      draft.updatedAt = d.at;
      return;
    }
    case 'TimerFired': {
      const timer = draft.timers[event.data.timerId];
      // A retry delay that ends while paused is owed to the resume.
      if (timer?.purpose.kind === 'RETRY' && draft.status === 'PAUSED') draft.deferred.push({ kind: 'retry', retriedTaskId: timer.purpose.retriedTaskId });
      delete draft.timers[event.data.timerId];
      draft.updatedAt = event.data.at;
      return;
    }
    case 'DynamicTasksForked': {
      const d = event.data;
      for (const task of d.tasks) draft.dynamicTasks[task.taskReferenceName] = { task, forkRef: d.forkRef };
      draft.updatedAt = d.at;
      return;
    }
    case 'LoopIterationStarted': {
      const d = event.data;
      const item = d.loopIndex !== undefined ? { loopItem: d.loopItem, loopIndex: d.loopIndex } : {};
      updateTask(draft, d.taskId, d.at, (task) => ({ ...task, iteration: d.iteration, output: { ...task.output, iteration: d.iteration, ...item } }));
      return;
    }
    case 'VariablesUpdated':
      draft.variables = { ...draft.variables, ...event.data.variables };
      draft.updatedAt = event.data.at;
      return;
    case 'SignalReceived': {
      const { taskRefName, ...signal } = event.data;
      draft.pendingSignals[taskRefName] = signal;
      draft.updatedAt = signal.at;
      return;
    }
    case 'ExecutionCompleted':
      end(draft, 'COMPLETED', event.data.at, { output: event.data.output });
      return;
    case 'ExecutionFailed':
      end(draft, 'FAILED', event.data.at, { output: event.data.output, reason: event.data.reason, failedTaskRefName: event.data.failedTaskRefName });
      return;
    case 'ExecutionTerminated':
      end(draft, 'TERMINATED', event.data.at, { output: event.data.output, reason: event.data.reason });
      return;
    case 'ExecutionTimedOut':
      end(draft, 'TIMED_OUT', event.data.at, { output: event.data.output, reason: event.data.reason, failedTaskRefName: event.data.failedTaskRefName });
      return;
    case 'ExecutionPaused':
      draft.status = 'PAUSED';
      draft.updatedAt = event.data.at;
      return;
    case 'ExecutionResumed':
      draft.status = 'RUNNING';
      draft.deferred = [];
      draft.updatedAt = event.data.at;
      return;
    case 'ExecutionRetried':
      reopen(draft, event.data.at);
      return;
    case 'ExecutionRerun': {
      const d = event.data;
      const from = draft.tasks[d.fromTaskId];
      if (from) {
        // Conductor's rerun: the task and everything scheduled after it are taken back (the history keeps them).
        const kept = draft.taskOrder.filter((id) => draft.tasks[id]!.seq < from.seq);
        for (const id of draft.taskOrder) if (!kept.includes(id)) delete draft.tasks[id];
        draft.taskOrder = kept;
        draft.latestByRef = {};
        for (const id of kept) draft.latestByRef[draft.tasks[id]!.taskRefName] = id;
      }
      if (d.workflowInput) draft.input = d.workflowInput;
      reopen(draft, d.at);
      return;
    }
    case 'ExecutionRestarted': {
      const d = event.data;
      if (d.definition) draft.definition = d.definition;
      if (d.taskDefs) draft.taskDefs = d.taskDefs;
      draft.variables = { ...(draft.definition?.variables ?? {}) };
      draft.tasks = {};
      draft.taskOrder = [];
      draft.latestByRef = {};
      draft.dynamicTasks = {};
      reopen(draft, d.at);
      return;
    }
    case 'ExecutionRemoved':
      draft.removed = true;
      draft.updatedAt = event.data.at;
      return;
    case 'TaskLogAdded': {
      const task = draft.tasks[event.data.taskId];
      // A log changes no deadline: the task's own updatedAt (its last report) stays.
      if (task) draft.tasks[event.data.taskId] = { ...task, logs: [...task.logs, event.data.log] };
      return;
    }
    default:
      assertNever(event, 'execution event');
  }
}

function markRetried(draft: ExecutionDraft, taskId: string): void {
  const task = draft.tasks[taskId];
  if (task) draft.tasks[taskId] = { ...task, retried: true };
}

/**
 * What ends with a task: its timers (deadlines, WAIT), a signal buffered for it, and — while
 * paused — the continuation it calls for, owed to the resume.
 */
function taskEnded(draft: ExecutionDraft, taskId: string, continuation?: 'succeeded' | 'failed'): void {
  const ref = draft.tasks[taskId]?.taskRefName;
  if (ref !== undefined && ref in draft.pendingSignals) delete draft.pendingSignals[ref];
  for (const [timerId, timer] of Object.entries(draft.timers)) if (timerTaskId(timer.purpose) === taskId) delete draft.timers[timerId];
  if (continuation && draft.status === 'PAUSED') draft.deferred.push({ kind: continuation, taskId });
}

/** Back to RUNNING after an operator's retry, rerun or restart. */
function reopen(draft: ExecutionDraft, at: number): void {
  draft.status = 'RUNNING';
  draft.output = {};
  draft.reason = undefined;
  draft.failedTaskRefName = undefined;
  draft.endedAt = undefined;
  draft.timers = {};
  draft.pendingSignals = {};
  draft.deferred = [];
  draft.updatedAt = at;
}

function updateTask(draft: ExecutionDraft, taskId: string, at: number, change: (task: TaskState) => TaskState): void {
  const task = draft.tasks[taskId];
  // An event about an unknown task cannot come from this decider; keep replay total anyway.
  if (!task) return;
  draft.tasks[taskId] = change(task);
  draft.updatedAt = at;
}

function finish(
  task: TaskState,
  status: TaskStatus,
  at: number,
  changes: { output?: Readonly<Record<string, unknown>>; workerId?: string; logs?: readonly string[]; reason?: string },
): TaskState {
  return {
    ...task,
    status,
    output: mergeOutput(task.output, changes.output),
    workerId: changes.workerId ?? task.workerId,
    logs: changes.logs?.length ? [...task.logs, ...changes.logs] : task.logs,
    reason: changes.reason ?? task.reason,
    startedAt: task.startedAt ?? at,
    endedAt: at,
    updatedAt: at,
  };
}

/** A task's output after an update: most tasks have none before their result, so no copy is needed then. */
function mergeOutput(current: Readonly<Record<string, unknown>>, update: Readonly<Record<string, unknown>> | undefined): Readonly<Record<string, unknown>> {
  if (!update) return current;
  for (const _key in current) return { ...current, ...update };
  return update;
}

function end(
  draft: ExecutionDraft,
  status: ExecutionState['status'],
  at: number,
  changes: { output: Readonly<Record<string, unknown>>; reason?: string; failedTaskRefName?: string },
): void {
  draft.status = status;
  draft.output = changes.output;
  draft.reason = changes.reason;
  draft.failedTaskRefName = changes.failedTaskRefName;
  draft.endedAt = at;
  draft.updatedAt = at;
  draft.timers = {};
}
