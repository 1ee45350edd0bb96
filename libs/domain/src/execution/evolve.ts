import { assertNever, type ExecutionEvent } from './execution-events';
import type { ExecutionState, TaskState, TaskStatus } from './execution-state';

/**
 * Applies one event to the state. Pure and total: replaying the same events always gives the
 * same state. Never mutates its input (cached states are shared).
 */
export function evolve(state: ExecutionState, event: ExecutionEvent): ExecutionState {
  const next = apply(state, event);
  return { ...next, eventCount: state.eventCount + 1 };
}

/** Folds a whole history. */
export function replay(events: readonly ExecutionEvent[], from: ExecutionState): ExecutionState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}

function apply(state: ExecutionState, event: ExecutionEvent): ExecutionState {
  switch (event.type) {
    case 'ExecutionStarted': {
      const d = event.data;
      return {
        ...state,
        status: 'RUNNING',
        executionId: d.executionId,
        definition: d.definition,
        taskDefs: d.taskDefs,
        input: d.input,
        variables: { ...(d.definition.variables ?? {}) },
        correlationId: d.correlationId,
        idempotencyKey: d.idempotencyKey,
        priority: d.priority,
        parent: d.parent,
        createdAt: d.at,
        updatedAt: d.at,
      };
    }
    case 'TaskScheduled': {
      const d = event.data;
      const task: TaskState = {
        taskId: d.taskId,
        taskRefName: d.taskRefName,
        taskDefName: d.taskDefName,
        taskType: d.taskType,
        seq: state.taskOrder.length + 1,
        attempt: d.attempt,
        status: d.taskType === 'SIMPLE' ? 'SCHEDULED' : 'IN_PROGRESS',
        input: d.input,
        output: {},
        logs: [],
        scheduledAt: d.at,
        startedAt: d.taskType === 'SIMPLE' ? undefined : d.at,
        updatedAt: d.at,
        retriedTaskId: d.retriedTaskId,
        retried: false,
      };
      let tasks: Record<string, TaskState> = { ...state.tasks, [d.taskId]: task };
      if (d.retriedTaskId && tasks[d.retriedTaskId]) {
        tasks = { ...tasks, [d.retriedTaskId]: { ...tasks[d.retriedTaskId]!, retried: true } };
      }
      return {
        ...state,
        tasks,
        taskOrder: [...state.taskOrder, d.taskId],
        latestByRef: { ...state.latestByRef, [d.taskRefName]: d.taskId },
        sequence: state.sequence + 1,
        updatedAt: d.at,
      };
    }
    case 'TaskProgressReported': {
      const d = event.data;
      return updateTask(state, d.taskId, d.at, (task) => ({
        ...task,
        status: 'IN_PROGRESS',
        startedAt: task.startedAt ?? d.at,
        workerId: d.workerId ?? task.workerId,
        output: d.output ? { ...task.output, ...d.output } : task.output,
        logs: d.logs ? [...task.logs, ...d.logs] : task.logs,
      }));
    }
    case 'TaskCompleted': {
      const d = event.data;
      return consumeSignal(
        updateTask(state, d.taskId, d.at, (task) => finish(task, 'COMPLETED', d.at, { output: d.output, workerId: d.workerId, logs: d.logs })),
        d.taskId,
      );
    }
    case 'TaskFailed': {
      const d = event.data;
      return consumeSignal(updateTask(state, d.taskId, d.at, (task) =>
        finish(task, d.terminal ? 'FAILED_WITH_TERMINAL_ERROR' : 'FAILED', d.at, {
          output: d.output,
          workerId: d.workerId,
          logs: d.logs,
          reason: d.reason,
        }),
      ), d.taskId);
    }
    case 'TaskTimedOut': {
      const d = event.data;
      return updateTask(state, d.taskId, d.at, (task) => finish(task, 'TIMED_OUT', d.at, { reason: d.reason }));
    }
    case 'TaskCanceled': {
      const d = event.data;
      return updateTask(state, d.taskId, d.at, (task) => finish(task, 'CANCELED', d.at, { reason: d.reason }));
    }
    case 'TimerStarted': {
      const d = event.data;
      let tasks = state.tasks;
      // A failed attempt waiting for its retry delay is already "being retried".
      if (d.purpose.kind === 'RETRY' && tasks[d.purpose.retriedTaskId]) {
        tasks = { ...tasks, [d.purpose.retriedTaskId]: { ...tasks[d.purpose.retriedTaskId]!, retried: true } };
      }
      return {
        ...state,
        tasks,
        timers: { ...state.timers, [d.timerId]: { timerId: d.timerId, dueAt: d.dueAt, purpose: d.purpose } },
        sequence: state.sequence + 1,
        updatedAt: d.at,
      };
    }
    case 'TimerFired': {
      const { [event.data.timerId]: _fired, ...timers } = state.timers;
      return { ...state, timers, updatedAt: event.data.at };
    }
    case 'SignalReceived': {
      const { taskRefName, ...signal } = event.data;
      return { ...state, pendingSignals: { ...state.pendingSignals, [taskRefName]: signal }, updatedAt: signal.at };
    }
    case 'ExecutionCompleted':
      return end(state, 'COMPLETED', event.data.at, { output: event.data.output });
    case 'ExecutionFailed':
      return end(state, 'FAILED', event.data.at, {
        output: event.data.output,
        reason: event.data.reason,
        failedTaskRefName: event.data.failedTaskRefName,
      });
    case 'ExecutionTerminated':
      return end(state, 'TERMINATED', event.data.at, { output: event.data.output, reason: event.data.reason });
    default:
      return assertNever(event, 'execution event');
  }
}

/** A buffered signal is used up when its task ends. */
function consumeSignal(state: ExecutionState, taskId: string): ExecutionState {
  const ref = state.tasks[taskId]?.taskRefName;
  if (ref === undefined || !(ref in state.pendingSignals)) return state;
  const { [ref]: _used, ...pendingSignals } = state.pendingSignals;
  return { ...state, pendingSignals };
}

function updateTask(state: ExecutionState, taskId: string, at: number, change: (task: TaskState) => TaskState): ExecutionState {
  const task = state.tasks[taskId];
  // An event about an unknown task cannot come from this decider; keep replay total anyway.
  if (!task) return state;
  return { ...state, tasks: { ...state.tasks, [taskId]: change(task) }, updatedAt: at };
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
  state: ExecutionState,
  status: ExecutionState['status'],
  at: number,
  changes: { output: Readonly<Record<string, unknown>>; reason?: string; failedTaskRefName?: string },
): ExecutionState {
  return { ...state, status, output: changes.output, reason: changes.reason, failedTaskRefName: changes.failedTaskRefName, endedAt: at, updatedAt: at, timers: {} };
}
