import { DecisionBuilder } from '../decision-builder';
import { ignore, type DecideContext, type Decision } from '../decision';
import type { FireTimer } from '../execution-commands';
import { assertNever } from '../execution-events';
import { ExecutionFlow } from '../execution-flow';
import { isTerminalExecution, isTerminalTask, type ExecutionState } from '../execution-state';
import { nextDeadline, taskDeadlines } from '../task-deadlines';

/** A durable timer is due: a retry delay, a WAIT, a task's deadlines or the workflow's timeout. */
export function decideFireTimer(command: FireTimer, state: ExecutionState, { now }: DecideContext): Decision {
  const timer = state.timers[command.timerId];
  if (!timer) return ignore('TIMER_NOT_ARMED', `execution ${state.executionId || '(unknown)'} has no armed timer ${command.timerId}`);
  if (isTerminalExecution(state.status)) return ignore('EXECUTION_ENDED', `execution ${state.executionId} is ${state.status}`);
  const builder = new DecisionBuilder(state, now);
  const flow = new ExecutionFlow(builder);
  builder.emit({ type: 'TimerFired', data: { timerId: timer.timerId, at: now } });
  const purpose = timer.purpose;
  switch (purpose.kind) {
    case 'RETRY':
      flow.retryNow(purpose.retriedTaskId);
      break;
    case 'WAIT': {
      const task = state.tasks[purpose.taskId];
      if (task && !isTerminalTask(task.status)) {
        builder.emit({ type: 'TaskCompleted', data: { taskId: task.taskId, output: {}, at: now } });
        flow.succeeded(task.taskRefName);
      }
      break;
    }
    case 'TASK_TIMEOUT':
      checkTaskDeadlines(flow, purpose.taskId);
      break;
    case 'WORKFLOW_TIMEOUT': {
      const { definition } = builder.started;
      const reason = `workflow timeoutSeconds (${definition.timeoutSeconds ?? 0}) passed`;
      if ((definition.timeoutPolicy ?? 'ALERT_ONLY') === 'TIME_OUT_WF') flow.end('TIMED_OUT', reason, {});
      else builder.emit({ type: 'TimeoutAlerted', data: { reason, at: now } });
      break;
    }
    default:
      return assertNever(purpose, 'timer purpose');
  }
  return builder.decision();
}

/**
 * The deadline timer of a worker task fired: an attempt or total timeout times it out (or only
 * alerts, under ALERT_ONLY), a missed response timeout times it out, and otherwise (a heartbeat
 * pushed the deadline out) the timer is armed again for the next deadline.
 */
function checkTaskDeadlines(flow: ExecutionFlow, taskId: string): void {
  const { builder } = flow;
  const task = builder.state.tasks[taskId];
  if (!task || isTerminalTask(task.status)) return;
  const taskDef = flow.taskDefOf(task);
  const now = builder.now;
  const deadlines = taskDeadlines(builder.state, task, taskDef, task.timeoutAlerted === true);
  if (deadlines.total !== undefined && now >= deadlines.total) {
    builder.emit({ type: 'TaskTimedOut', data: { taskId, timeout: 'TASK_TIMEOUT', reason: `totalTimeoutSeconds (${taskDef.totalTimeoutSeconds}) passed`, at: now } });
    flow.failed(taskId);
    return;
  }
  if (deadlines.attempt !== undefined && now >= deadlines.attempt) {
    const reason = `timeoutSeconds (${taskDef.timeoutSeconds}) passed`;
    if (taskDef.timeoutPolicy === 'ALERT_ONLY') {
      builder.emit({ type: 'TimeoutAlerted', data: { taskId, reason, at: now } });
    } else {
      builder.emit({ type: 'TaskTimedOut', data: { taskId, timeout: 'TASK_TIMEOUT', reason, at: now } });
      flow.failed(taskId);
      return;
    }
  } else if (deadlines.response !== undefined && now >= deadlines.response) {
    builder.emit({ type: 'TaskTimedOut', data: { taskId, timeout: 'RESPONSE_TIMEOUT', reason: `no result or heartbeat within responseTimeoutSeconds (${taskDef.responseTimeoutSeconds ?? 3600})`, at: now } });
    flow.failed(taskId);
    return;
  }
  const next = nextDeadline(taskDeadlines(builder.state, builder.state.tasks[taskId]!, taskDef, builder.state.tasks[taskId]!.timeoutAlerted === true));
  if (next !== undefined) {
    builder.emit({ type: 'TimerStarted', data: { timerId: builder.nextTimerId(), dueAt: Math.max(next, now + 1), purpose: { kind: 'TASK_TIMEOUT', taskId }, at: now } });
  }
}
