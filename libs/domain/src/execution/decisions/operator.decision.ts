import { DecisionBuilder } from '../decision-builder';
import { ignore, type DecideContext, type Decision } from '../decision';
import type { PauseExecution, RerunExecution, RestartExecution, RetryExecution, ResumeExecution, TerminateExecution } from '../execution-commands';
import { ExecutionFlow } from '../execution-flow';
import { isTerminalExecution, tasksInOrder, type ExecutionState } from '../execution-state';

const RETRYABLE_END: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT', 'TERMINATED']);
const RETRIED_TASK_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT', 'CANCELED']);

const notStarted = (state: ExecutionState): Decision => ignore('UNKNOWN_EXECUTION', `no execution ${state.executionId || '(unknown)'}`);
const invalid = (state: ExecutionState, what: string, why: string): Decision =>
  ignore('INVALID_EXECUTION_STATE', `cannot ${what} execution ${state.executionId}: it is ${state.status}; ${why}`);

/** `DELETE /api/workflow/{id}`: cancels pending tasks and ends it TERMINATED. */
export function decideTerminate(command: TerminateExecution, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return notStarted(state);
  if (isTerminalExecution(state.status)) return ignore('EXECUTION_ENDED', `execution ${state.executionId} is already ${state.status}`);
  const builder = new DecisionBuilder(state, now);
  new ExecutionFlow(builder).end('TERMINATED', command.reason, {});
  return builder.decision();
}

/** Results keep being recorded; nothing new is scheduled until resumed. */
export function decidePause(command: PauseExecution, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return notStarted(state);
  if (state.status !== 'RUNNING') return invalid(state, 'pause', 'only a RUNNING execution can be paused');
  return { events: [{ type: 'ExecutionPaused', data: { ...(command.reason ? { reason: command.reason } : {}), at: now } }] };
}

/** Scheduling resumes with what results received while paused call for. */
export function decideResume(_command: ResumeExecution, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return notStarted(state);
  if (state.status !== 'PAUSED') return invalid(state, 'resume', 'only a PAUSED execution can be resumed');
  const deferred = state.deferred;
  const builder = new DecisionBuilder(state, now);
  builder.emit({ type: 'ExecutionResumed', data: { at: now } });
  new ExecutionFlow(builder).runDeferred(deferred);
  return builder.decision();
}

/** Conductor's retry: the ended execution runs again from its failed, timed-out and canceled tasks. */
export function decideRetry(_command: RetryExecution, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return notStarted(state);
  if (!RETRYABLE_END.has(state.status)) return invalid(state, 'retry', 'only a FAILED, TIMED_OUT or TERMINATED execution can be retried');
  const latest = tasksInOrder(state).filter((task) => state.latestByRef[task.taskRefName] === task.taskId);
  const toRetry = latest.filter((task) => RETRIED_TASK_STATUSES.has(task.status) && task.taskType !== 'TERMINATE');
  if (toRetry.length === 0) return invalid(state, 'retry', 'it has no failed, timed-out or canceled task to retry');
  const builder = new DecisionBuilder(state, now);
  const flow = new ExecutionFlow(builder);
  builder.emit({ type: 'ExecutionRetried', data: { taskRefNames: toRetry.map((task) => task.taskRefName), at: now } });
  flow.armWorkflowTimeout();
  for (const task of toRetry) {
    const workflowTask = flow.workflowTaskOf(task);
    const attempt = task.taskType === 'SIMPLE' ? { attempt: task.attempt + 1, retriedTaskId: task.taskId, input: task.input } : { attempt: 1 };
    flow.schedule(workflowTask, attempt);
  }
  flow.checkJoins();
  return builder.decision();
}

/** Conductor's rerun: an ended execution goes back to one of its tasks, which runs again (with new input if given). */
export function decideRerun(command: RerunExecution, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return notStarted(state);
  if (!isTerminalExecution(state.status)) return invalid(state, 'rerun', 'only an ended execution can be rerun (terminate it first)');
  const from = state.tasks[command.fromTaskId];
  if (!from) return ignore('UNKNOWN_TASK', `execution ${state.executionId} has no task ${command.fromTaskId}`);
  const builder = new DecisionBuilder(state, now);
  const flow = new ExecutionFlow(builder);
  const workflowTask = flow.workflowTaskOf(from);
  builder.emit({
    type: 'ExecutionRerun',
    data: {
      fromTaskId: command.fromTaskId,
      ...(command.taskInput ? { taskInput: command.taskInput } : {}),
      ...(command.workflowInput ? { workflowInput: command.workflowInput } : {}),
      at: now,
    },
  });
  flow.armWorkflowTimeout();
  flow.schedule(workflowTask, { attempt: 1, ...(command.taskInput ? { input: command.taskInput } : {}) });
  flow.rescheduleEnclosingJoins(from.taskRefName);
  return builder.decision();
}

/** Conductor's restart: an ended execution starts over (on the latest definition when one is given). */
export function decideRestart(command: RestartExecution, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return notStarted(state);
  if (!isTerminalExecution(state.status)) return invalid(state, 'restart', 'only an ended execution can be restarted');
  if (state.definition?.restartable === false) return invalid(state, 'restart', 'its definition says restartable: false');
  const builder = new DecisionBuilder(state, now);
  builder.emit({
    type: 'ExecutionRestarted',
    data: { ...(command.definition ? { definition: command.definition } : {}), ...(command.taskDefs ? { taskDefs: command.taskDefs } : {}), at: now },
  });
  new ExecutionFlow(builder).start();
  return builder.decision();
}
