import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * DO_WHILE: runs its `loopOver` body, then checks `loopCondition` after each iteration
 * (see the execution flow's loop handling); in progress until the condition is false.
 */
export class DoWhilePlanner implements TaskPlanner {
  readonly taskTypes = ['DO_WHILE'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const taskId = flow.emitScheduled(task, flow.resolveInput(task), attempt);
    flow.builder.emit({ type: 'LoopIterationStarted', data: { taskId, iteration: 1, at: flow.builder.now } });
    const first = task.loopOver?.[0];
    if (first) flow.schedule(first);
  }
}
