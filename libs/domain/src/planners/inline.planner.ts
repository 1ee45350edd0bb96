import type { WorkflowTask } from '../definitions/workflow-def';
import { evaluateWithEvaluator } from '../expressions';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * INLINE: evaluates `inputParameters.expression` (evaluatorType javascript/graaljs — the sandboxed
 * evaluator — or value-param) with the other inputs bound to `$`; output `{ result }`. A script
 * that throws or exceeds its limits fails the task for good.
 */
export class InlinePlanner implements TaskPlanner {
  readonly taskTypes = ['INLINE'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const input = flow.resolveInput(task);
    const taskId = flow.emitScheduled(task, input, attempt);
    const { now } = flow.builder;
    const { evaluatorType, expression, ...bindings } = input;
    let result: unknown;
    try {
      result = evaluateWithEvaluator(String(evaluatorType ?? 'javascript'), String(expression ?? ''), bindings);
    } catch (error) {
      flow.builder.emit({ type: 'TaskFailed', data: { taskId, reason: `inline expression failed: ${error instanceof Error ? error.message : String(error)}`, terminal: true, at: now } });
      flow.failed(taskId);
      return;
    }
    flow.builder.emit({ type: 'TaskCompleted', data: { taskId, output: { result }, at: now } });
    flow.succeeded(task.taskReferenceName);
  }
}
