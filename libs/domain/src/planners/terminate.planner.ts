import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, EndKind, FlowControl, TaskPlanner } from './task-planner';

/** Conductor's allowed `terminationStatus` values. */
export const TERMINATION_STATUSES: readonly EndKind[] = ['COMPLETED', 'FAILED', 'TERMINATED'];

/**
 * TERMINATE: ends the execution with `terminationStatus` (COMPLETED, FAILED or TERMINATED),
 * `terminationReason`, and `workflowOutput` as the execution's output (`{ output: value }` when
 * it is not an object, as Conductor does).
 */
export class TerminatePlanner implements TaskPlanner {
  readonly taskTypes = ['TERMINATE'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const input = flow.resolveInput(task);
    const taskId = flow.emitScheduled(task, input, attempt);
    const requested = String(input['terminationStatus'] ?? 'TERMINATED').toUpperCase() as EndKind;
    const status: EndKind = TERMINATION_STATUSES.includes(requested) ? requested : 'TERMINATED';
    const reason = typeof input['terminationReason'] === 'string' ? input['terminationReason'] : `terminated by task ${task.taskReferenceName}`;
    const workflowOutput = input['workflowOutput'];
    // Conductor: a map is the output; any other value is wrapped as { output: value }; none gives {}.
    const output = workflowOutput === undefined || workflowOutput === null ? {} : isRecord(workflowOutput) ? workflowOutput : { output: workflowOutput };
    flow.builder.emit({ type: 'TaskCompleted', data: { taskId, output: { terminationStatus: status, terminationReason: reason, ...output }, at: flow.builder.now } });
    flow.end(status, reason, output, { byTaskRefName: task.taskReferenceName, failedTaskRefName: status === 'FAILED' ? task.taskReferenceName : undefined });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
