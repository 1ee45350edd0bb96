import { DefinitionIndex } from '../../definitions/definition-index';
import { DecisionBuilder } from '../decision-builder';
import { ignore, type DecideContext, type Decision } from '../decision';
import type { ApplyTaskResult, CompleteTaskByRef, SkipTask } from '../execution-commands';
import { assertNever } from '../execution-events';
import { EXTERNAL_TASK_TYPES } from '../external-task-types';
import { ExecutionFlow } from '../execution-flow';
import { isTerminalExecution, isTerminalTask, latestTask, type ExecutionState } from '../execution-state';

const EXTERNAL_TASK_LIST = [...EXTERNAL_TASK_TYPES].join(', ');

/** A result from a worker (or `POST /api/tasks`): progress, completion or failure of a pending attempt. */
export function decideTaskResult(command: ApplyTaskResult, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return ignore('UNKNOWN_EXECUTION', `no execution ${state.executionId || '(unknown)'}`);
  const task = state.tasks[command.taskId];
  if (!task) return ignore('UNKNOWN_TASK', `execution ${state.executionId} has no task ${command.taskId}`);
  if (command.taskDefName !== undefined && command.taskDefName !== task.taskDefName) {
    return ignore('TASK_TYPE_MISMATCH', `task ${task.taskId} is a ${task.taskDefName} task; the result was sent for ${command.taskDefName}`);
  }
  if (command.attempt !== undefined && command.attempt !== task.attempt) {
    return ignore('ATTEMPT_MISMATCH', `task ${task.taskId} is attempt ${task.attempt}, the result is for attempt ${command.attempt}`);
  }
  if (!EXTERNAL_TASK_TYPES.has(task.taskType)) {
    return ignore('TASK_NOT_EXTERNAL', `task ${task.taskRefName} is a ${task.taskType} task; only ${EXTERNAL_TASK_LIST} tasks take results`);
  }
  if (isTerminalTask(task.status)) {
    // An optional task that gave up was FAILED before it became COMPLETED_WITH_ERRORS: its failure again is a duplicate.
    const gaveUp = task.status === 'COMPLETED_WITH_ERRORS' && command.status.startsWith('FAILED');
    const duplicate = task.status === command.status || gaveUp || (command.status === 'IN_PROGRESS' && task.status !== 'CANCELED');
    return duplicate
      ? ignore('DUPLICATE_RESULT', `task ${task.taskId} already has status ${task.status}`)
      : ignore('TASK_NOT_PENDING', `task ${task.taskId} is ${task.status}; the ${command.status} result came too late`);
  }
  if (isTerminalExecution(state.status)) return ignore('EXECUTION_ENDED', `execution ${state.executionId} is ${state.status}`);

  const builder = new DecisionBuilder(state, now);
  const flow = new ExecutionFlow(builder);
  const { taskId, workerId, logs } = command;
  const common = { taskId, at: now, ...(workerId !== undefined ? { workerId } : {}), ...(logs?.length ? { logs } : {}) };
  switch (command.status) {
    case 'IN_PROGRESS':
      builder.emit({ type: 'TaskProgressReported', data: { ...common, ...(command.output ? { output: command.output } : {}) } });
      break;
    case 'COMPLETED':
      builder.emit({ type: 'TaskCompleted', data: { ...common, output: command.output ?? {} } });
      flow.succeeded(task.taskRefName);
      break;
    case 'FAILED':
    case 'FAILED_WITH_TERMINAL_ERROR':
      builder.emit({
        type: 'TaskFailed',
        data: { ...common, reason: command.reason ?? 'no reason given', terminal: command.status === 'FAILED_WITH_TERMINAL_ERROR', ...(command.output ? { output: command.output } : {}) },
      });
      flow.failed(taskId);
      break;
    default:
      return assertNever(command.status, 'task status');
  }
  return builder.decision();
}

/** Completes or fails the pending task with a reference name; an early WAIT completion is kept. */
export function decideTaskByRef(command: CompleteTaskByRef, state: ExecutionState, context: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return ignore('UNKNOWN_EXECUTION', `no execution ${state.executionId || '(unknown)'}`);
  const task = latestTask(state, command.taskRefName);
  if (!task) return bufferSignal(command, state, context);
  const { type: _type, taskRefName: _ref, ...result } = command;
  return decideTaskResult({ ...result, type: 'ApplyTaskResult', taskId: task.taskId }, state, context);
}

/**
 * A completion for a WAIT the execution has not reached yet is kept (SignalReceived) and applied
 * when the WAIT is scheduled, so a fast external confirmation never races the flow.
 */
function bufferSignal(command: CompleteTaskByRef, state: ExecutionState, { now }: DecideContext): Decision {
  const location = state.definition ? DefinitionIndex.of(state.definition).find(command.taskRefName) : undefined;
  if (!location) return ignore('UNKNOWN_TASK', `workflow ${state.definition?.name ?? ''} has no task with reference name ${command.taskRefName}`);
  if (location.type !== 'WAIT' || command.status === 'IN_PROGRESS') {
    return ignore('UNKNOWN_TASK', `task ${command.taskRefName} of execution ${state.executionId} has not been scheduled yet`);
  }
  if (isTerminalExecution(state.status)) return ignore('EXECUTION_ENDED', `execution ${state.executionId} is ${state.status}`);
  if (state.pendingSignals[command.taskRefName]) return ignore('DUPLICATE_RESULT', `a ${command.taskRefName} signal is already waiting for its task`);
  return {
    events: [
      {
        type: 'SignalReceived',
        data: {
          taskRefName: command.taskRefName,
          status: command.status,
          output: command.output ?? {},
          ...(command.reason !== undefined ? { reason: command.reason } : {}),
          ...(command.workerId !== undefined ? { workerId: command.workerId } : {}),
          at: now,
        },
      },
    ],
  };
}

/** An operator skips the pending task with this reference name: it counts as done. */
export function decideSkipTask(command: SkipTask, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return ignore('UNKNOWN_EXECUTION', `no execution ${state.executionId || '(unknown)'}`);
  if (isTerminalExecution(state.status)) return ignore('EXECUTION_ENDED', `execution ${state.executionId} is ${state.status}; only a running or paused execution's tasks can be skipped`);
  const task = latestTask(state, command.taskRefName);
  if (!task) return ignore('UNKNOWN_TASK', `execution ${state.executionId} has no scheduled task with reference name ${command.taskRefName}`);
  if (isTerminalTask(task.status)) return ignore('TASK_NOT_PENDING', `task ${command.taskRefName} is already ${task.status}`);
  if (!EXTERNAL_TASK_TYPES.has(task.taskType)) return ignore('TASK_NOT_EXTERNAL', `task ${command.taskRefName} is a ${task.taskType} task; only ${EXTERNAL_TASK_LIST} tasks can be skipped`);
  const builder = new DecisionBuilder(state, now);
  builder.emit({ type: 'TaskSkipped', data: { taskId: task.taskId, output: command.output ?? {}, ...(command.reason ? { reason: command.reason } : {}), at: now } });
  new ExecutionFlow(builder).succeeded(task.taskRefName);
  return builder.decision();
}
