import type { WorkflowTask } from '../definitions/workflow-def';
import { evaluateWithEvaluator } from '../expressions';
import { scheduleInProcess } from './in-process.planner';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * INLINE: `inputParameters.expression` with the other inputs bound to `$`; output `{ result }`.
 * A script (evaluatorType javascript/graaljs, the default) may use `Math.random`, `Date` and the
 * rest of JavaScript, so the decider only schedules it: the orchestrator's script sandbox runs it
 * and its result is recorded (an in-process task). `value-param` is pure and evaluated here; a
 * failure fails the task for good.
 */
export class InlinePlanner implements TaskPlanner {
  readonly taskTypes = ['INLINE'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const evaluatorType = String(task.inputParameters?.['evaluatorType'] ?? 'javascript');
    if (evaluatorType !== 'value-param') {
      scheduleInProcess(flow, task, attempt, () => undefined);
      return;
    }
    const input = flow.resolveInput(task);
    const taskId = flow.emitScheduled(task, input, attempt);
    const { now } = flow.builder;
    const { evaluatorType: _evaluatorType, expression, ...bindings } = input;
    let result: unknown;
    try {
      result = evaluateWithEvaluator(evaluatorType, String(expression ?? ''), bindings);
    } catch (error) {
      flow.builder.emit({ type: 'TaskFailed', data: { taskId, reason: `inline expression failed: ${error instanceof Error ? error.message : String(error)}`, terminal: true, at: now } });
      flow.failed(taskId);
      return;
    }
    flow.builder.emit({ type: 'TaskCompleted', data: { taskId, output: { result }, at: now } });
    flow.succeeded(task.taskReferenceName);
  }
}
