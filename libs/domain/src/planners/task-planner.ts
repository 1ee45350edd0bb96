import type { WorkflowTask } from '../definitions/workflow-def';
import type { DecisionBuilder } from '../execution/decision-builder';
import type { ResolvedSubWorkflow } from '../execution/execution-events';

/** Which attempt of a task a planner schedules. */
export interface AttemptInfo {
  readonly attempt: number;
  readonly retriedTaskId?: string;
  /** Input of a retried attempt (Conductor retries with the failed attempt's input). */
  readonly input?: Readonly<Record<string, unknown>>;
}

/** What a TaskScheduled records beyond the workflow task: another type and name (a DYNAMIC task runs the task its input names), a resolved child workflow. */
export interface ScheduledAs {
  readonly taskType?: string;
  readonly taskDefName?: string;
  readonly subWorkflow?: ResolvedSubWorkflow;
}

/** How a workflow may end. */
export type EndKind = 'COMPLETED' | 'FAILED' | 'TERMINATED' | 'TIMED_OUT';

/**
 * What a planner may do with the execution's control flow. Implemented by the execution flow;
 * planners never touch the definition tree themselves.
 *
 * `schedule`, `succeeded`, `failed` and `checkJoins` called by a planner run after the planner
 * returns, in the order called, each with all it leads to before the next (and each does nothing
 * once the execution stopped running): a planner calls them last, and never expects the state to
 * show their effect while it runs.
 */
export interface FlowControl {
  readonly builder: DecisionBuilder;
  /** The task's `inputParameters` resolved against the execution (`${workflow.input.x}`…). */
  resolveInput(task: WorkflowTask): Record<string, unknown>;
  /** Any template value (`"${workflow.input.list}"`, an object of them…) resolved against the execution. */
  resolveValue(template: unknown): unknown;
  /** Emits TaskScheduled for a task and returns its id; `as` schedules it as another type or name (a DYNAMIC task). */
  emitScheduled(task: WorkflowTask, input: Readonly<Record<string, unknown>>, attempt: AttemptInfo, as?: ScheduledAs): string;
  /** Schedules a task through its planner. */
  schedule(task: WorkflowTask, attempt?: AttemptInfo): void;
  /** Continues the flow after a task finished successfully (or an optional one gave up). */
  succeeded(taskRefName: string): void;
  /** Handles a failed attempt: retry, continue past an optional task, or fail the execution. */
  failed(taskId: string): void;
  /** Completes JOINs whose branches are done. */
  checkJoins(): void;
  /** The reference name of the task right before this one in its list (the fork a JOIN closes). */
  forkBefore(taskRefName: string): string | undefined;
  /** Arms the timer that checks a worker task's deadlines (response, attempt and total timeouts). */
  armTaskDeadline(taskId: string): void;
  /** Ends the execution, canceling every pending task. */
  end(kind: EndKind, reason: string, output: Readonly<Record<string, unknown>>, details?: { failedTaskRefName?: string; failedTaskId?: string; byTaskRefName?: string }): void;
}

/**
 * Schedules one kind of task (Conductor's TaskMapper idea): one small planner per task type
 * instead of one large decider.
 */
export interface TaskPlanner {
  /** Effective task types this planner handles. */
  readonly taskTypes: readonly string[];
  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void;
}
