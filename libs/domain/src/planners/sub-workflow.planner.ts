import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * SUB_WORKFLOW: in progress while its child execution runs. The orchestrator starts the child
 * (`subWorkflowParam`, this task's inputs as its input) and reports the child's end back as
 * this task's result.
 */
export class SubWorkflowPlanner implements TaskPlanner {
  readonly taskTypes = ['SUB_WORKFLOW'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    flow.emitScheduled(task, flow.resolveInput(task), attempt);
  }
}
