import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/** SET_VARIABLE: its resolved inputs become workflow variables (`${workflow.variables.k}`); completes at once. */
export class SetVariablePlanner implements TaskPlanner {
  readonly taskTypes = ['SET_VARIABLE'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const input = flow.resolveInput(task);
    const taskId = flow.emitScheduled(task, input, attempt);
    const { now } = flow.builder;
    flow.builder.emit({ type: 'VariablesUpdated', data: { taskId, variables: input, at: now } });
    flow.builder.emit({ type: 'TaskCompleted', data: { taskId, output: {}, at: now } });
    flow.succeeded(task.taskReferenceName);
  }
}
