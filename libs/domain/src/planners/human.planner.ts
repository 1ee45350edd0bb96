import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * HUMAN: in progress until someone completes or fails it — the task update API
 * (`POST /api/tasks`, `POST /api/tasks/{workflowId}/{ref}/{status}`), an event handler's
 * `complete_task`, or the console. Like a WAIT without a duration, but no timer and no signal
 * buffering: Conductor has none for it either.
 */
export class HumanPlanner implements TaskPlanner {
  readonly taskTypes = ['HUMAN'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    flow.emitScheduled(task, flow.resolveInput(task), attempt);
  }
}
