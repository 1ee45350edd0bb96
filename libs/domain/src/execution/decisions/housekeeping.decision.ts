import { ignore, type DecideContext, type Decision } from '../decision';
import type { AddTaskLog, RemoveExecution } from '../execution-commands';
import { isTerminalExecution, type ExecutionState } from '../execution-state';

const unknown = (state: ExecutionState): Decision => ignore('UNKNOWN_EXECUTION', `no execution ${state.executionId || '(unknown)'}`);

/** Conductor's remove: only an ended execution (the caller terminates a running one first). */
export function decideRemove(command: RemoveExecution, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return unknown(state);
  if (!isTerminalExecution(state.status)) {
    return ignore('INVALID_EXECUTION_STATE', `cannot remove execution ${state.executionId}: it is ${state.status}; only an ended execution can be removed (terminate it first)`);
  }
  return { events: [{ type: 'ExecutionRemoved', data: { ...(command.reason ? { reason: command.reason } : {}), at: now } }] };
}

/** A log line for any attempt of the execution, whatever its status (as Conductor). */
export function decideAddTaskLog(command: AddTaskLog, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return unknown(state);
  if (!state.tasks[command.taskId]) return ignore('UNKNOWN_TASK', `execution ${state.executionId} has no task ${command.taskId}`);
  return { events: [{ type: 'TaskLogAdded', data: { taskId: command.taskId, log: command.log, at: now } }] };
}
