import type { ExecutionCommand, ExecutionEvent, ExecutionState } from '@app/domain';

/**
 * The command that starts a decision whose first event is `first`, rebuilt from what the events
 * record: the history stores events, not commands, but every command leaves its payload in the
 * first event it causes (a worker's output in TaskCompleted, an operator's reason in
 * ExecutionPaused…). `following` are the events stored after it (a terminate's reason is on the
 * ExecutionTerminated that follows its TaskCanceled events). Undefined when no command of this
 * version starts a decision with such an event.
 */
export function commandFor(first: ExecutionEvent, state: ExecutionState, following: readonly ExecutionEvent[]): ExecutionCommand | undefined {
  switch (first.type) {
    case 'ExecutionStarted': {
      const d = first.data;
      return {
        type: 'StartExecution',
        executionId: d.executionId,
        definition: d.definition,
        // The snapshot of a snapshot is itself: every task definition the workflow uses is in it.
        taskDefs: d.taskDefs,
        input: d.input,
        ...(d.correlationId !== undefined ? { correlationId: d.correlationId } : {}),
        ...(d.idempotencyKey !== undefined ? { idempotencyKey: d.idempotencyKey } : {}),
        ...(d.priority !== undefined ? { priority: d.priority } : {}),
        ...(d.parent !== undefined ? { parent: d.parent } : {}),
      };
    }
    case 'TaskProgressReported': {
      const d = first.data;
      return { type: 'ApplyTaskResult', taskId: d.taskId, status: 'IN_PROGRESS', ...optional({ output: d.output, workerId: d.workerId, logs: d.logs }) };
    }
    case 'TaskCompleted': {
      const d = first.data;
      return { type: 'ApplyTaskResult', taskId: d.taskId, status: 'COMPLETED', output: d.output, ...optional({ workerId: d.workerId, logs: d.logs }) };
    }
    case 'TaskFailed': {
      const d = first.data;
      return { type: 'ApplyTaskResult', taskId: d.taskId, status: d.terminal ? 'FAILED_WITH_TERMINAL_ERROR' : 'FAILED', reason: d.reason, ...optional({ output: d.output, workerId: d.workerId, logs: d.logs }) };
    }
    case 'TaskSkipped': {
      const d = first.data;
      const taskRefName = state.tasks[d.taskId]?.taskRefName;
      return taskRefName === undefined ? undefined : { type: 'SkipTask', taskRefName, output: d.output, ...optional({ reason: d.reason }) };
    }
    case 'TaskThrottled':
      return { type: 'RecordTaskThrottled', taskId: first.data.taskId, reason: first.data.reason, limit: first.data.limit };
    case 'TaskDispatched':
      return { type: 'RecordTaskDispatched', taskId: first.data.taskId };
    case 'TimerFired':
      return { type: 'FireTimer', timerId: first.data.timerId };
    case 'SignalReceived': {
      const d = first.data;
      return { type: 'CompleteTaskByRef', taskRefName: d.taskRefName, status: d.status, output: d.output, ...optional({ reason: d.reason, workerId: d.workerId }) };
    }
    case 'TaskCanceled':
    case 'ExecutionTerminated': {
      // An operator's terminate: pending tasks canceled, then ExecutionTerminated with the reason given.
      const terminated = [first, ...following].find((event) => event.type === 'ExecutionTerminated');
      return terminated?.type === 'ExecutionTerminated' && terminated.data.byTaskRefName === undefined ? { type: 'TerminateExecution', reason: terminated.data.reason } : undefined;
    }
    case 'ExecutionPaused':
      return { type: 'PauseExecution', ...optional({ reason: first.data.reason }) };
    case 'ExecutionResumed':
      return { type: 'ResumeExecution' };
    case 'ExecutionRetried':
      return { type: 'RetryExecution' };
    case 'ExecutionRerun': {
      const d = first.data;
      return { type: 'RerunExecution', fromTaskId: d.fromTaskId, ...optional({ taskInput: d.taskInput, workflowInput: d.workflowInput }) };
    }
    case 'ExecutionRestarted': {
      const d = first.data;
      return { type: 'RestartExecution', ...optional({ definition: d.definition, taskDefs: d.taskDefs }) };
    }
    case 'ExecutionRemoved':
      return { type: 'RemoveExecution', ...optional({ reason: first.data.reason }) };
    case 'TaskLogAdded':
      return { type: 'AddTaskLog', taskId: first.data.taskId, log: first.data.log };
    case 'TaskScheduled':
    case 'TaskTimedOut':
    case 'TaskCompletedWithErrors':
    case 'TimeoutAlerted':
    case 'TimerStarted':
    case 'VariablesUpdated':
    case 'LoopIterationStarted':
    case 'DynamicTasksForked':
    case 'ExecutionCompleted':
    case 'ExecutionFailed':
    case 'ExecutionTimedOut':
      // Only ever follow another event of a decision (a timer firing, a task ending…).
      return undefined;
    default: {
      // A new event type must say here which command starts a decision with it (or that none does).
      const unhandled: never = first;
      return unhandled;
    }
  }
}

/** The members that are set (a command built from JSON must not carry `undefined` members the original did not have). */
function optional<T extends Record<string, unknown>>(members: T): Partial<T> {
  return Object.fromEntries(Object.entries(members).filter(([, value]) => value !== undefined)) as Partial<T>;
}
