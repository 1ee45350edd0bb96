import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/** NOOP: does nothing and completes at once with an empty output (Conductor does not resolve its input either). */
export class NoopPlanner implements TaskPlanner {
  readonly taskTypes = ['NOOP'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const taskId = flow.emitScheduled(task, {}, attempt);
    flow.builder.emit({ type: 'TaskCompleted', data: { taskId, output: {}, at: flow.builder.now } });
    flow.succeeded(task.taskReferenceName);
  }
}
