import { ignore, type DecideContext, type Decision } from '../decision';
import type { RecordTaskDispatched, RecordTaskThrottled } from '../execution-commands';
import type { ExecutionState } from '../execution-state';

/** The dispatcher held a scheduled task's command back (rate or concurrency limit): visible in history. */
export function decideThrottled(command: RecordTaskThrottled, state: ExecutionState, { now }: DecideContext): Decision {
  const task = state.tasks[command.taskId];
  if (!task) return ignore('UNKNOWN_TASK', `execution ${state.executionId || '(unknown)'} has no task ${command.taskId}`);
  if (task.status !== 'SCHEDULED') return ignore('TASK_NOT_PENDING', `task ${command.taskId} is ${task.status}`);
  if (task.throttled) return ignore('DUPLICATE_RESULT', `task ${command.taskId} is already throttled`);
  return { events: [{ type: 'TaskThrottled', data: { taskId: command.taskId, reason: command.reason, limit: command.limit, at: now } }] };
}

/** A held-back command went out. */
export function decideDispatched(command: RecordTaskDispatched, state: ExecutionState, { now }: DecideContext): Decision {
  const task = state.tasks[command.taskId];
  if (!task) return ignore('UNKNOWN_TASK', `execution ${state.executionId || '(unknown)'} has no task ${command.taskId}`);
  if (task.status !== 'SCHEDULED') return ignore('TASK_NOT_PENDING', `task ${command.taskId} is ${task.status}`);
  if (!task.throttled) return ignore('TASK_NOT_PENDING', `task ${command.taskId} was not throttled`);
  return { events: [{ type: 'TaskDispatched', data: { taskId: command.taskId, at: now } }] };
}
