import { replay } from './evolve';
import { assertNever, type ExecutionEvent } from './execution-events';
import { initialState, isTerminalExecution, isSuccessfulTask, isTerminalTask, type ExecutionState } from './execution-state';

/** The first event of a history that does not fit where it stands. */
export interface HistoryInconsistency {
  /** Its index in the history (its stream revision). */
  readonly index: number;
  readonly type: ExecutionEvent['type'];
  readonly problem: string;
}

/**
 * Checks a history against what the decider can produce, event by event: it starts with
 * `ExecutionStarted` (and has no other); a task is scheduled once and every task event names a
 * task in the state, a task ends once; a timer is armed once and fires only while armed; nothing
 * but a retry, rerun, restart, removal or task log line follows an end, and the first four only
 * follow one; nothing follows a removal; pause and resume alternate. A history that was cut, reordered or spliced fails one of these (a changed value
 * inside an event need not: the hash chain is what reports those). Returns the first event that
 * does not fit, or `undefined`. Timestamps are not compared: replicas' clocks differ.
 *
 * @example
 * const problem = findHistoryInconsistency(toExecutionEvents(stored));
 * if (problem) console.warn(`revision ${problem.index} (${problem.type}): ${problem.problem}`);
 */
export function findHistoryInconsistency(events: readonly ExecutionEvent[], executionId = ''): HistoryInconsistency | undefined {
  let state = initialState(executionId);
  const scheduled = new Set<string>();
  const armed = new Set<string>();
  for (const [index, event] of events.entries()) {
    const problem = problemWith(event, state, index, scheduled, armed);
    if (problem !== undefined) return { index, type: event.type, problem };
    state = replay([event], state);
  }
  return undefined;
}

function problemWith(event: ExecutionEvent, state: ExecutionState, index: number, scheduled: Set<string>, armed: Set<string>): string | undefined {
  if (event.type === 'ExecutionStarted') return index === 0 ? undefined : 'ExecutionStarted after the start';
  if (index === 0) return 'the history does not begin with ExecutionStarted';
  if (state.removed) return `${event.type} after the execution was removed`;
  const ended = isTerminalExecution(state.status);
  switch (event.type) {
    case 'ExecutionRetried':
    case 'ExecutionRerun':
    case 'ExecutionRestarted':
    case 'ExecutionRemoved':
      return ended ? undefined : `${event.type} of an execution that has not ended (${state.status})`;
    case 'TaskLogAdded':
      // A log line may be added to any attempt, also after the execution ended (as Conductor).
      return taskProblem(state, event.data.taskId, false);
    default:
      if (ended) return `${event.type} after the execution ended (${state.status})`;
  }
  switch (event.type) {
    case 'ExecutionCompleted':
    case 'ExecutionFailed':
    case 'ExecutionTerminated':
    case 'ExecutionTimedOut':
    case 'SignalReceived':
      return undefined;
    case 'ExecutionPaused':
      return state.status === 'RUNNING' ? undefined : `paused while ${state.status}`;
    case 'ExecutionResumed':
      return state.status === 'PAUSED' ? undefined : `resumed while ${state.status}`;
    case 'TaskScheduled':
      if (scheduled.has(event.data.taskId)) return `task ${event.data.taskId} scheduled twice`;
      scheduled.add(event.data.taskId);
      return undefined;
    case 'TimerStarted':
      if (armed.has(event.data.timerId)) return `timer ${event.data.timerId} armed twice`;
      armed.add(event.data.timerId);
      return undefined;
    case 'TimerFired':
      return state.timers[event.data.timerId] ? undefined : `timer ${event.data.timerId} fired while not armed`;
    case 'TimeoutAlerted':
      return event.data.taskId === undefined ? undefined : taskProblem(state, event.data.taskId, false);
    case 'TaskCompleted':
    case 'TaskFailed':
    case 'TaskTimedOut':
    case 'TaskCanceled':
    case 'TaskSkipped':
      return taskProblem(state, event.data.taskId, true);
    case 'TaskCompletedWithErrors': {
      const task = state.tasks[event.data.taskId];
      if (!task) return `task ${event.data.taskId} is not in the execution`;
      return isTerminalTask(task.status) && !isSuccessfulTask(task.status) && !task.retried ? undefined : `task ${event.data.taskId} completed with errors while ${task.status}`;
    }
    case 'TaskProgressReported':
    case 'TaskThrottled':
    case 'TaskDispatched':
    case 'VariablesUpdated':
    case 'LoopIterationStarted':
    case 'DynamicTasksForked':
      return taskProblem(state, event.data.taskId, false);
    default:
      return assertNever(event, 'execution event');
  }
}

function taskProblem(state: ExecutionState, taskId: string, ends: boolean): string | undefined {
  const task = state.tasks[taskId];
  if (!task) return `task ${taskId} is not in the execution`;
  if (ends && isTerminalTask(task.status)) return `task ${taskId} ended twice (already ${task.status})`;
  return undefined;
}
