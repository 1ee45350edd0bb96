import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/** SIMPLE: a worker task. Scheduling it is all; the orchestrator publishes the command as an effect. */
export class SimplePlanner implements TaskPlanner {
  readonly taskTypes = ['SIMPLE'] as const;

  constructor(private readonly inputTemplateOf: (task: WorkflowTask, flow: FlowControl) => Readonly<Record<string, unknown>> | undefined) {}

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const input = attempt.input ?? { ...(this.inputTemplateOf(task, flow) ?? {}), ...flow.resolveInput(task) };
    flow.armTaskDeadline(flow.emitScheduled(task, input, attempt));
  }
}
