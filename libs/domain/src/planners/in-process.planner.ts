import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * Task types the orchestrator runs itself, outside the decider, because their outcome depends on
 * the outside world or on non-determinism (an HTTP call, a script that may use `Math.random` or
 * `Date`, jq): the decider only schedules them; an in-process runner of the orchestrator's effect
 * path runs them and reports the outcome as an ordinary task result, which is recorded — so a
 * replay never runs them again. INLINE is one only with a script evaluator (`value-param` is
 * evaluated by the decider).
 */
export const IN_PROCESS_TASK_TYPES = ['HTTP', 'JSON_JQ_TRANSFORM', 'LAMBDA', 'INLINE'] as const;
export type InProcessTaskType = (typeof IN_PROCESS_TASK_TYPES)[number];

/** True for a task type an in-process runner of the orchestrator executes. */
export function isInProcessTaskType(taskType: string): taskType is InProcessTaskType {
  return (IN_PROCESS_TASK_TYPES as readonly string[]).includes(taskType);
}

/** Where an in-process task's input comes from beyond its inputParameters (its task definition's inputTemplate). */
export type InputTemplateOf = (task: WorkflowTask, flow: FlowControl) => Readonly<Record<string, unknown>> | undefined;

/**
 * Schedules an in-process task: its input is the task definition's inputTemplate overlaid with the
 * resolved inputParameters (a retry keeps the failed attempt's input), and nothing more — the
 * orchestrator runs it once the TaskScheduled event is stored.
 */
export function scheduleInProcess(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo, inputTemplateOf: InputTemplateOf): string {
  const input = attempt.input ?? { ...(inputTemplateOf(task, flow) ?? {}), ...flow.resolveInput(task) };
  return flow.emitScheduled(task, input, attempt);
}

/**
 * HTTP, JSON_JQ_TRANSFORM and LAMBDA: scheduled here, run by the orchestrator's in-process runners.
 * - HTTP calls `http_request` (or the flat `uri`, `method`, `headers`, `body`… of its input); output
 *   `{ response: { statusCode, headers, body, reasonPhrase } }`; a non-2xx status fails the attempt.
 * - JSON_JQ_TRANSFORM runs the jq program `queryExpression` over the whole task input; output
 *   `{ result, resultList }` (the first value emitted, and all of them).
 * - LAMBDA runs `scriptExpression` as a function body with `$` bound to the task input; output `{ result }`.
 * A failed attempt is retried only when a task definition of the task's name (registered or inline)
 * asks for it, as in Conductor.
 */
export class InProcessPlanner implements TaskPlanner {
  readonly taskTypes = ['HTTP', 'JSON_JQ_TRANSFORM', 'LAMBDA'] as const;

  constructor(private readonly inputTemplateOf: InputTemplateOf) {}

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    scheduleInProcess(flow, task, attempt, this.inputTemplateOf);
  }
}
