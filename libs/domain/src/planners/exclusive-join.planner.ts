import type { WorkflowTask } from '../definitions/workflow-def';
import { isTerminalTask, latestTask, type ExecutionState, type TaskState } from '../execution/execution-state';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * EXCLUSIVE_JOIN: closes a SWITCH whose cases end in different tasks. It joins on the first
 * `joinOn` task that ran (not skipped); while that one has not ended, on the first
 * `defaultExclusiveJoinTask` that ran. Its output is the joined task's output. Re-checked after every step until one of them ends (Conductor's rules).
 */
export class ExclusiveJoinPlanner implements TaskPlanner {
  readonly taskTypes = ['EXCLUSIVE_JOIN'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    flow.emitScheduled(task, { joinOn: [...(task.joinOn ?? [])], defaultExclusiveJoinTask: [...(task.defaultExclusiveJoinTask ?? [])] }, attempt);
    flow.checkJoins();
  }
}

/**
 * The task an EXCLUSIVE_JOIN joins on, from its input (`joinOn`, `defaultExclusiveJoinTask`), once
 * that task is done (`isDone`: succeeded, or an optional task that gave up); undefined while it
 * waits. A task that failed for good ends the execution through the flow's failure rules, so the
 * join itself never has to fail.
 */
export function exclusiveJoinTarget(state: ExecutionState, input: Readonly<Record<string, unknown>>, isDone: (task: TaskState) => boolean): TaskState | undefined {
  const ran = (refs: unknown): TaskState | undefined => {
    for (const ref of Array.isArray(refs) ? refs : []) {
      const task = typeof ref === 'string' ? latestTask(state, ref) : undefined;
      if (task && task.status !== 'SKIPPED') return task;
    }
    return undefined;
  };
  let joined = ran(input['joinOn']);
  if (!joined || !isTerminalTask(joined.status)) joined = ran(input['defaultExclusiveJoinTask']) ?? joined;
  return joined && isDone(joined) ? joined : undefined;
}
