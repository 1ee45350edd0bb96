import type { WorkflowTask } from '../definitions/workflow-def';
import { evaluateSwitchCase } from '../expressions';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * SWITCH (and legacy DECISION): evaluates the case, completes at once with Conductor's
 * `evaluationResult` output, then runs the chosen case (or the default, or nothing).
 */
export class SwitchPlanner implements TaskPlanner {
  readonly taskTypes = ['SWITCH'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const input = flow.resolveInput(task);
    const taskId = flow.emitScheduled(task, input, attempt);
    const { now } = flow.builder;
    let caseKey: string;
    try {
      caseKey = chooseCase(task, input);
    } catch (error) {
      flow.builder.emit({ type: 'TaskFailed', data: { taskId, reason: `switch expression failed: ${messageOf(error)}`, terminal: true, at: now } });
      flow.failed(taskId);
      return;
    }
    // Own properties only: a case value such as "constructor" must not reach Object.prototype.
    const cases = task.decisionCases ?? {};
    const chosen = (Object.prototype.hasOwnProperty.call(cases, caseKey) ? cases[caseKey] : undefined) ?? task.defaultCase ?? [];
    flow.builder.emit({ type: 'TaskCompleted', data: { taskId, output: { evaluationResult: [caseKey], selectedCase: caseKey }, at: now } });
    const first = chosen[0];
    if (first) flow.schedule(first);
    else flow.succeeded(task.taskReferenceName);
  }
}

function chooseCase(task: WorkflowTask, input: Readonly<Record<string, unknown>>): string {
  if (task.type === 'DECISION' && task.evaluatorType === undefined) {
    if (task.caseValueParam) return evaluateSwitchCase('value-param', task.caseValueParam, input);
    return evaluateSwitchCase('javascript', task.caseExpression ?? '', input);
  }
  return evaluateSwitchCase(task.evaluatorType ?? 'value-param', task.expression ?? '', input);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
