import { assertNever, type ExecutionEvent } from './execution-events';
import type { BufferedSignal, ExecutionState, TaskState, TaskStatus, TimerState } from './execution-state';

/**
 * Applies one event to the state. Pure and total: replaying the same events always gives the
 * same state. Never mutates its input (cached states are shared).
 */
export function evolve(state: ExecutionState, event: ExecutionEvent): ExecutionState {
  const draft = draftOf(state);
  applyTo(draft, event);
  return draft;
}

/**
 * Folds a whole history (or a decision's events). Same result as folding with {@link evolve},
 * but the state is copied once, not once per event.
 */
export function replay(events: readonly ExecutionEvent[], from: ExecutionState): ExecutionState {
  if (events.length === 0) return from;
  const draft = draftOf(from);
  for (const event of events) applyTo(draft, event);
  return draft;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A private copy that may be changed in place: the collections are copied, their items are not (items are replaced, never changed). */
export interface ExecutionDraft extends Mutable<ExecutionState> {
  tasks: Record<string, TaskState>;
  taskOrder: string[];
  latestByRef: Record<string, string>;
  timers: Record<string, TimerState>;
  pendingSignals: Record<string, BufferedSignal>;
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
      const simple = d.taskType === 'SIMPLE';
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
        output: d.output ? { ...task.output, ...d.output } : task.output,
        logs: d.logs ? [...task.logs, ...d.logs] : task.logs,
        updatedAt: d.at,
      }));
      return;
    }
    case 'TaskCompleted': {
      const d = event.data;
      updateTask(draft, d.taskId, d.at, (task) => finish(task, 'COMPLETED', d.at, { output: d.output, workerId: d.workerId, logs: d.logs }));
      consumeSignal(draft, d.taskId);
      return;
    }
    case 'TaskFailed': {
      const d = event.data;
      const status = d.terminal ? 'FAILED_WITH_TERMINAL_ERROR' : 'FAILED';
      updateTask(draft, d.taskId, d.at, (task) => finish(task, status, d.at, { output: d.output, workerId: d.workerId, logs: d.logs, reason: d.reason }));
      consumeSignal(draft, d.taskId);
      return;
    }
    case 'TaskTimedOut': {
      const d = event.data;
      updateTask(draft, d.taskId, d.at, (task) => finish(task, 'TIMED_OUT', d.at, { reason: d.reason }));
      return;
    }
    case 'TaskCanceled': {
      const d = event.data;
      updateTask(draft, d.taskId, d.at, (task) => finish(task, 'CANCELED', d.at, { reason: d.reason }));
      return;
    }
    case 'TimerStarted': {
      const d = event.data;
      // A failed attempt waiting for its retry delay is already "being retried".
      if (d.purpose.kind === 'RETRY') markRetried(draft, d.purpose.retriedTaskId);
      draft.timers[d.timerId] = { timerId: d.timerId, dueAt: d.dueAt, purpose: d.purpose };
      draft.sequence += 1;
      draft.updatedAt = d.at;
      return;
    }
    case 'TimerFired':
      delete draft.timers[event.data.timerId];
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
    default:
      assertNever(event, 'execution event');
  }
}

function markRetried(draft: ExecutionDraft, taskId: string): void {
  const task = draft.tasks[taskId];
  if (task) draft.tasks[taskId] = { ...task, retried: true };
}

/** A buffered signal is used up when its task ends. */
function consumeSignal(draft: ExecutionDraft, taskId: string): void {
  const ref = draft.tasks[taskId]?.taskRefName;
  if (ref !== undefined && ref in draft.pendingSignals) delete draft.pendingSignals[ref];
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
    output: changes.output ? { ...task.output, ...changes.output } : task.output,
    workerId: changes.workerId ?? task.workerId,
    logs: changes.logs ? [...task.logs, ...changes.logs] : task.logs,
    reason: changes.reason ?? task.reason,
    startedAt: task.startedAt ?? at,
    endedAt: at,
    updatedAt: at,
  };
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
