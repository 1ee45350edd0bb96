import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * EVENT: publishes its resolved inputs to its `sink` (`nats:<subject>` or `jsm:<subject>`). In
 * progress until the orchestrator has published and reports it (output `{ sink, subject }`), so a
 * crash between the two republishes instead of losing the event.
 */
export class EventPlanner implements TaskPlanner {
  readonly taskTypes = ['EVENT'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    flow.emitScheduled(task, flow.resolveInput(task), attempt);
  }
}
