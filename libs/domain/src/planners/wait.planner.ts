import { durationMsOf, dueAfter, untilMsOf } from '../definitions/durations';
import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * WAIT: in progress until a signal completes it (`POST /api/tasks/{id}/{ref}/{status}`), or
 * until a durable timer fires when `duration` or `until` is given. A task definition of its own
 * (inline, or registered under the WAIT's name) with `timeoutSeconds` times it out after that
 * long, under its `timeoutPolicy` (Conductor).
 */
export class WaitPlanner implements TaskPlanner {
  readonly taskTypes = ['WAIT'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const input = flow.resolveInput(task);
    const { now } = flow.builder;
    const signal = flow.builder.state.pendingSignals[task.taskReferenceName];
    const taskId = flow.emitScheduled(task, input, attempt);
    if (signal) {
      // The completion arrived before the WAIT was reached: apply it now.
      const common = { taskId, at: now, ...(signal.workerId !== undefined ? { workerId: signal.workerId } : {}) };
      if (signal.status === 'COMPLETED') {
        flow.builder.emit({ type: 'TaskCompleted', data: { ...common, output: signal.output } });
        flow.succeeded(task.taskReferenceName);
      } else {
        flow.builder.emit({ type: 'TaskFailed', data: { ...common, output: signal.output, reason: signal.reason ?? 'failed by signal', terminal: signal.status === 'FAILED_WITH_TERMINAL_ERROR' } });
        flow.failed(taskId);
      }
      return;
    }
    const dueAt = dueTime(input, now);
    if (dueAt === 'invalid') {
      flow.builder.emit({
        type: 'TaskFailed',
        data: {
          taskId,
          reason: `WAIT ${task.taskReferenceName}: duration/until ${JSON.stringify(input['duration'] ?? input['until'])} is not a duration (a string like "30s" or 0 to 100 years of seconds) or a time a date can hold`,
          terminal: true,
          at: now,
        },
      });
      flow.failed(taskId);
      return;
    }
    if (dueAt !== undefined) {
      flow.builder.emit({ type: 'TimerStarted', data: { timerId: flow.builder.nextTimerId(), dueAt, purpose: { kind: 'WAIT', taskId }, at: now } });
    }
    // A task definition for the WAIT (inline, or registered under its name) may give it a timeoutSeconds, whatever it waits for.
    flow.armTaskDeadline(taskId);
  }
}

function dueTime(input: Readonly<Record<string, unknown>>, now: number): number | 'invalid' | undefined {
  const duration = input['duration'];
  const until = input['until'];
  if (duration !== undefined && duration !== null && duration !== '') {
    const ms = durationMsOf(duration);
    return ms === undefined ? 'invalid' : dueAfter(now, ms);
  }
  if (until !== undefined && until !== null && until !== '') {
    const at = untilMsOf(until);
    return at === undefined ? 'invalid' : at;
  }
  return undefined;
}
