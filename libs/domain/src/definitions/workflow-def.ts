/**
 * Workflow and task definitions, shaped like Conductor's `WorkflowDef`, `WorkflowTask` and
 * `TaskDef` (schemaVersion 2) so existing JSON definitions and Conductor's client SDKs carry over.
 * Unknown Conductor fields are kept as-is; only the ones Baton acts on are typed.
 */

/** Task types Baton executes. `DECISION` is Conductor's old name of `SWITCH`. */
export const SUPPORTED_TASK_TYPES = [
  'SIMPLE', 'SWITCH', 'DECISION', 'FORK_JOIN', 'JOIN', 'WAIT', 'TERMINATE', 'SET_VARIABLE', 'INLINE', 'DO_WHILE', 'SUB_WORKFLOW', 'EVENT', 'FORK_JOIN_DYNAMIC',
  'HTTP', 'JSON_JQ_TRANSFORM', 'LAMBDA', 'EXCLUSIVE_JOIN', 'START_WORKFLOW', 'HUMAN', 'NOOP', 'DYNAMIC',
] as const;
export type SupportedTaskType = (typeof SUPPORTED_TASK_TYPES)[number];

/** Every type Conductor knows; the ones Baton does not execute yet are rejected by validation with a clear message. */
export const CONDUCTOR_TASK_TYPES = [
  ...SUPPORTED_TASK_TYPES,
  'FORK_JOIN_DYNAMIC', 'EXCLUSIVE_JOIN', 'DO_WHILE', 'HUMAN', 'EVENT', 'SUB_WORKFLOW', 'START_WORKFLOW',
  'SET_VARIABLE', 'INLINE', 'JSON_JQ_TRANSFORM', 'HTTP', 'KAFKA_PUBLISH', 'LAMBDA', 'NOOP',
] as const;
export type TaskType = (typeof CONDUCTOR_TASK_TYPES)[number];

export const RETRY_LOGICS = ['FIXED', 'LINEAR_BACKOFF', 'EXPONENTIAL_BACKOFF'] as const;
export type RetryLogic = (typeof RETRY_LOGICS)[number];

export const TASK_TIMEOUT_POLICIES = ['RETRY', 'TIME_OUT_WF', 'ALERT_ONLY'] as const;
export type TaskTimeoutPolicy = (typeof TASK_TIMEOUT_POLICIES)[number];

export const WORKFLOW_TIMEOUT_POLICIES = ['TIME_OUT_WF', 'ALERT_ONLY'] as const;
export type WorkflowTimeoutPolicy = (typeof WORKFLOW_TIMEOUT_POLICIES)[number];

export const SWITCH_EVALUATOR_TYPES = ['value-param', 'javascript', 'graaljs'] as const;
export type SwitchEvaluatorType = (typeof SWITCH_EVALUATOR_TYPES)[number];

/** Conductor's `TaskDef`: how a worker task type is retried, timed out and limited. */
export interface TaskDef {
  readonly name: string;
  readonly description?: string;
  readonly ownerEmail?: string;
  /** Retries after the first attempt. Conductor's default is 3. */
  readonly retryCount?: number;
  readonly retryLogic?: RetryLogic;
  /** Conductor's default is 60. */
  readonly retryDelaySeconds?: number;
  readonly maxRetryDelaySeconds?: number;
  readonly backoffJitterMs?: number;
  /** Time allowed for one attempt from scheduling to a terminal result; 0 = unlimited. */
  readonly timeoutSeconds?: number;
  /** A worker that sends no result or heartbeat within this loses the attempt. Default 3600. */
  readonly responseTimeoutSeconds?: number;
  readonly totalTimeoutSeconds?: number;
  readonly pollTimeoutSeconds?: number;
  readonly timeoutPolicy?: TaskTimeoutPolicy;
  readonly rateLimitPerFrequency?: number;
  readonly rateLimitFrequencyInSeconds?: number;
  readonly concurrentExecLimit?: number;
  readonly inputTemplate?: Readonly<Record<string, unknown>>;
  readonly inputKeys?: readonly string[];
  readonly outputKeys?: readonly string[];
  readonly [conductorField: string]: unknown;
}

/** One entry of a workflow's `tasks[]` (Conductor's `WorkflowTask`). */
export interface WorkflowTask {
  readonly name: string;
  readonly taskReferenceName: string;
  /** Default `SIMPLE`. */
  readonly type?: string;
  readonly description?: string;
  readonly inputParameters?: Readonly<Record<string, unknown>>;
  readonly optional?: boolean;
  /**
   * Conductor's permissive task: once out of retries, its failure does not stop the flow; the
   * execution goes on and ends FAILED where it would have completed (a JOIN waiting on it fails
   * once all it waits on have ended). An optional task is never permissive.
   */
  readonly permissive?: boolean;
  /** SWITCH: case value → tasks. */
  readonly decisionCases?: Readonly<Record<string, readonly WorkflowTask[]>>;
  readonly defaultCase?: readonly WorkflowTask[];
  readonly evaluatorType?: string;
  readonly expression?: string;
  /** DECISION (legacy): name of the input parameter holding the case. */
  readonly caseValueParam?: string;
  readonly caseExpression?: string;
  /** FORK_JOIN: parallel branches. */
  readonly forkTasks?: readonly (readonly WorkflowTask[])[];
  /** JOIN: reference names to wait for. EXCLUSIVE_JOIN: the first of them that ran decides. */
  readonly joinOn?: readonly string[];
  /** EXCLUSIVE_JOIN: where to look when no `joinOn` task has ended (the default case's tasks). */
  readonly defaultExclusiveJoinTask?: readonly string[];
  /** DYNAMIC: the input parameter holding the name of the task to run. */
  readonly dynamicTaskNameParam?: string;
  /** DO_WHILE: the body, run again while `loopCondition` holds (checked after each iteration). */
  readonly loopOver?: readonly WorkflowTask[];
  /** DO_WHILE: a script over `$` (the loop's inputs, `$.<loopRef>.iteration`, `$.<bodyRef>` outputs). */
  readonly loopCondition?: string;
  /**
   * DO_WHILE over a list (Conductor's list iteration): an expression giving the list (also taken
   * from `inputParameters.items`); the body runs once per element, which it reads as
   * `${<loopRef>.output.loopItem}` (index `loopIndex`). `loopCondition` is then optional.
   */
  readonly items?: unknown;
  /**
   * SUB_WORKFLOW: the workflow to run as a child execution; its inputs are this task's
   * inputParameters. `name` and `version` may be expressions (`${workflow.input.flow}`), and
   * `workflowDefinition` an inline definition (or an expression giving one) run instead of a registered one.
   */
  readonly subWorkflowParam?: SubWorkflowParam;
  /** FORK_JOIN_DYNAMIC: the input parameter holding the list of tasks to fork (default `dynamicTasks`). */
  readonly dynamicForkTasksParam?: string;
  /** FORK_JOIN_DYNAMIC: the input parameter mapping each forked task's reference name to its input (default `dynamicTasksInput`). */
  readonly dynamicForkTasksInputParamName?: string;
  /** EVENT: where to publish its inputs, `nats:<subject>` (core) or `jsm:<subject>` (JetStream). */
  readonly sink?: string;
  /** An inline task definition; overrides the registered one. */
  readonly taskDefinition?: TaskDef;
  readonly startDelay?: number;
  readonly asyncComplete?: boolean;
  readonly [conductorField: string]: unknown;
}

/** Conductor's `SubWorkflowParams`. */
export interface SubWorkflowParam {
  readonly name?: string;
  readonly version?: number | string;
  readonly workflowDefinition?: WorkflowDef | string;
  readonly [conductorField: string]: unknown;
}

/** Conductor's `WorkflowDef`. */
export interface WorkflowDef {
  readonly name: string;
  readonly description?: string;
  /** Default 1. */
  readonly version?: number;
  readonly schemaVersion?: number;
  readonly ownerEmail?: string;
  readonly tasks: readonly WorkflowTask[];
  /** Names of the expected inputs (documentation in Conductor; Baton checks nothing more). */
  readonly inputParameters?: readonly string[];
  readonly outputParameters?: Readonly<Record<string, unknown>>;
  /** Name of the workflow started with the failed execution's details when this one fails. */
  readonly failureWorkflow?: string;
  /** 0 = no workflow timeout. */
  readonly timeoutSeconds?: number;
  readonly timeoutPolicy?: WorkflowTimeoutPolicy;
  readonly restartable?: boolean;
  readonly workflowStatusListenerEnabled?: boolean;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly inputTemplate?: Readonly<Record<string, unknown>>;
  readonly [conductorField: string]: unknown;
}

/** The effective type of a workflow task (`SIMPLE` when absent, `DECISION` read as `SWITCH`). */
export function taskTypeOf(task: WorkflowTask): string {
  const type = task.type ?? 'SIMPLE';
  return type === 'DECISION' ? 'SWITCH' : type;
}

/** Conductor's defaults for a task type that has no registered definition. */
export function defaultTaskDef(name: string): TaskDef {
  return {
    name,
    retryCount: 3,
    retryLogic: 'FIXED',
    retryDelaySeconds: 60,
    timeoutSeconds: 0,
    responseTimeoutSeconds: 3600,
    timeoutPolicy: 'TIME_OUT_WF',
  };
}

/** The tasks nested directly inside a task: switch cases, fork branches, a loop body. */
export function childTaskLists(task: WorkflowTask): readonly (readonly WorkflowTask[])[] {
  const lists: (readonly WorkflowTask[])[] = [];
  for (const caseTasks of Object.values(task.decisionCases ?? {})) if (Array.isArray(caseTasks)) lists.push(caseTasks);
  if (Array.isArray(task.defaultCase)) lists.push(task.defaultCase);
  for (const branch of Array.isArray(task.forkTasks) ? task.forkTasks : []) if (Array.isArray(branch)) lists.push(branch);
  if (Array.isArray(task.loopOver)) lists.push(task.loopOver);
  return lists;
}
