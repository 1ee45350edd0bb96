import type { TaskDef, WorkflowDef, WorkflowTask, WorkflowTimeoutPolicy } from './workflow-def';

/** A task, or a run of tasks (a fork returns its FORK_JOIN and JOIN together). */
export type TaskItem = WorkflowTask | readonly WorkflowTask[];

type Inputs = Readonly<Record<string, unknown>>;

const flatten = (items: readonly TaskItem[]): WorkflowTask[] => items.flatMap((item) => (Array.isArray(item) ? [...item] : [item as WorkflowTask]));

/** `${workflow.input.<path>}` */
export const workflowInput = (path: string): string => `\${workflow.input.${path}}`;
/** `${workflow.variables.<path>}` */
export const workflowVariable = (path: string): string => `\${workflow.variables.${path}}`;
/** `${<taskRef>.output.<path>}` (the whole output when no path is given). */
export const taskOutput = (taskRef: string, path?: string): string => (path ? `\${${taskRef}.output.${path}}` : `\${${taskRef}.output}`);
/** `${workflow.workflowId}` */
export const WORKFLOW_ID = '${workflow.workflowId}';
/** `${workflow.correlationId}` */
export const CORRELATION_ID = '${workflow.correlationId}';

/** A SIMPLE (worker) task; `name` is the task type workers subscribe to. */
export function simple(name: string, taskReferenceName: string, inputParameters: Inputs = {}, options: { optional?: boolean; taskDefinition?: TaskDef } = {}): WorkflowTask {
  return { name, taskReferenceName, type: 'SIMPLE', inputParameters, ...options };
}

/** A SWITCH. With `value-param`, `expression` names an input parameter; with `javascript`, it is an expression over `$` (the inputs). */
export function switchTask(
  taskReferenceName: string,
  options: {
    expression: string;
    evaluatorType?: 'value-param' | 'javascript' | 'graaljs';
    inputParameters?: Inputs;
    cases: Readonly<Record<string, readonly TaskItem[]>>;
    defaultCase?: readonly TaskItem[];
  },
): WorkflowTask {
  return {
    name: taskReferenceName,
    taskReferenceName,
    type: 'SWITCH',
    evaluatorType: options.evaluatorType ?? 'value-param',
    expression: options.expression,
    inputParameters: options.inputParameters ?? {},
    decisionCases: Object.fromEntries(Object.entries(options.cases).map(([key, items]) => [key, flatten(items)])),
    ...(options.defaultCase ? { defaultCase: flatten(options.defaultCase) } : {}),
  };
}

/**
 * A FORK_JOIN with its JOIN. The JOIN waits on the last task of every branch unless `joinOn` says otherwise.
 *
 * @example
 * ...forkJoin('checks', [[simple('reserve_inventory', 'reserve')], [simple('check_fraud', 'fraud')]])
 */
export function forkJoin(taskReferenceName: string, branches: readonly (readonly TaskItem[])[], options: { joinRef?: string; joinOn?: readonly string[] } = {}): readonly WorkflowTask[] {
  const forkTasks = branches.map(flatten);
  const joinOn = options.joinOn ?? forkTasks.map((branch) => branch[branch.length - 1]?.taskReferenceName).filter((ref): ref is string => !!ref);
  const joinRef = options.joinRef ?? `${taskReferenceName}_join`;
  return [
    { name: taskReferenceName, taskReferenceName, type: 'FORK_JOIN', forkTasks },
    { name: joinRef, taskReferenceName: joinRef, type: 'JOIN', joinOn },
  ];
}

/** A WAIT completed by a signal, or after `duration` / at `until`. */
export function wait(taskReferenceName: string, options: { duration?: string; until?: string; inputParameters?: Inputs } = {}): WorkflowTask {
  const inputParameters: Record<string, unknown> = { ...(options.inputParameters ?? {}) };
  if (options.duration !== undefined) inputParameters['duration'] = options.duration;
  if (options.until !== undefined) inputParameters['until'] = options.until;
  return { name: taskReferenceName, taskReferenceName, type: 'WAIT', inputParameters };
}

/** A TERMINATE that ends the execution with the given status. */
export function terminate(taskReferenceName: string, terminationStatus: 'COMPLETED' | 'FAILED' | 'TERMINATED', options: { reason?: string; workflowOutput?: unknown } = {}): WorkflowTask {
  return {
    name: taskReferenceName,
    taskReferenceName,
    type: 'TERMINATE',
    inputParameters: {
      terminationStatus,
      ...(options.reason !== undefined ? { terminationReason: options.reason } : {}),
      ...(options.workflowOutput !== undefined ? { workflowOutput: options.workflowOutput } : {}),
    },
  };
}

/** A SET_VARIABLE: its inputs become workflow variables (`${workflow.variables.k}`). */
export function setVariable(taskReferenceName: string, variables: Inputs): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'SET_VARIABLE', inputParameters: variables };
}

/** An INLINE script over `$` (its inputs), run by the orchestrator's script sandbox; output `{ result }`. */
export function inline(taskReferenceName: string, expression: string, inputs: Inputs = {}): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'INLINE', inputParameters: { evaluatorType: 'javascript', expression, ...inputs } };
}

/** A `value-param` INLINE: its output `result` is `value` (resolved); pure, so the decider evaluates it in the decision that reaches it. */
export function inlineValue(taskReferenceName: string, value: unknown): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'INLINE', inputParameters: { evaluatorType: 'value-param', expression: 'value', value } };
}

/** An HTTP call made by the orchestrator (`http_request`: uri, method, headers, body, accept, contentType, connectionTimeOut, readTimeOut); output `{ response }`. */
export function httpTask(taskReferenceName: string, httpRequest: Inputs, options: { name?: string } = {}): WorkflowTask {
  return { name: options.name ?? taskReferenceName, taskReferenceName, type: 'HTTP', inputParameters: { http_request: httpRequest } };
}

/** A jq program over the task's inputs, run by the orchestrator; output `{ result, resultList }`. */
export function jsonJqTransform(taskReferenceName: string, queryExpression: string, inputs: Inputs = {}): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'JSON_JQ_TRANSFORM', inputParameters: { ...inputs, queryExpression } };
}

/** A LAMBDA: `scriptExpression` is a function body over `$` (the inputs) that returns the result; output `{ result }`. */
export function lambda(taskReferenceName: string, scriptExpression: string, inputs: Inputs = {}): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'LAMBDA', inputParameters: { ...inputs, scriptExpression } };
}

/** A DO_WHILE: runs `body`, then again while `loopCondition` (a script over `$`) is true. */
export function doWhile(taskReferenceName: string, loopCondition: string, body: readonly TaskItem[], inputParameters: Inputs = {}): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'DO_WHILE', loopCondition, loopOver: flatten(body), inputParameters };
}

/** A SUB_WORKFLOW: runs workflow `name` as a child execution with these inputs; completes with its output. */
export function subWorkflow(taskReferenceName: string, name: string, inputParameters: Inputs = {}, version?: number): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'SUB_WORKFLOW', subWorkflowParam: { name, ...(version !== undefined ? { version } : {}) }, inputParameters };
}

/** An EVENT: publishes its inputs to `sink` (`nats:<subject>` or `jsm:<subject>`), then completes. */
export function publishEvent(taskReferenceName: string, sink: string, payload: Inputs = {}): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'EVENT', sink, inputParameters: payload };
}

/**
 * A FORK_JOIN_DYNAMIC with its JOIN: `dynamicTasks` (a list of tasks, usually `${ref.output.tasks}`)
 * forks at run time, `dynamicTasksInput` maps each task's reference name to its input.
 */
export function forkJoinDynamic(taskReferenceName: string, dynamicTasks: unknown, dynamicTasksInput: unknown, options: { joinRef?: string } = {}): readonly WorkflowTask[] {
  const joinRef = options.joinRef ?? `${taskReferenceName}_join`;
  return [
    { name: taskReferenceName, taskReferenceName, type: 'FORK_JOIN_DYNAMIC', inputParameters: { dynamicTasks, dynamicTasksInput }, dynamicForkTasksParam: 'dynamicTasks', dynamicForkTasksInputParamName: 'dynamicTasksInput' },
    { name: joinRef, taskReferenceName: joinRef, type: 'JOIN' },
  ];
}

/** A NOOP: completes at once, does nothing. */
export function noop(taskReferenceName: string): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'NOOP' };
}

/** A HUMAN task: in progress until completed through the task update API or the console. */
export function human(taskReferenceName: string, inputParameters: Inputs = {}): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'HUMAN', inputParameters };
}

/** An EXCLUSIVE_JOIN after a SWITCH: joins on the first of `joinOn` that ran (else of `defaultExclusiveJoinTask`). */
export function exclusiveJoin(taskReferenceName: string, joinOn: readonly string[], defaultExclusiveJoinTask?: readonly string[]): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'EXCLUSIVE_JOIN', joinOn, ...(defaultExclusiveJoinTask ? { defaultExclusiveJoinTask } : {}) };
}

/** A DYNAMIC task: runs the worker task named by input `taskToExecute` (the value given here, usually an expression). */
export function dynamicTask(taskReferenceName: string, taskName: unknown, inputParameters: Inputs = {}): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'DYNAMIC', dynamicTaskNameParam: 'taskToExecute', inputParameters: { ...inputParameters, taskToExecute: taskName } };
}

/** A START_WORKFLOW: starts workflow `name` with `input` and completes at once with `{ workflowId }` (no waiting). */
export function startWorkflowTask(taskReferenceName: string, name: string, input: Inputs = {}, options: { version?: number; correlationId?: string } = {}): WorkflowTask {
  return { name: taskReferenceName, taskReferenceName, type: 'START_WORKFLOW', inputParameters: { startWorkflow: { name, input, ...options } } };
}

/**
 * Typed builder producing Conductor-compatible workflow JSON.
 *
 * @example
 * const def = workflow('greet', 1)
 *   .inputs('name')
 *   .tasks(simple('say_hello', 'hello', { name: workflowInput('name') }))
 *   .outputs({ greeting: taskOutput('hello', 'text') })
 *   .build();
 */
export class WorkflowBuilder {
  private readonly def: { -readonly [K in keyof WorkflowDef]: WorkflowDef[K] };

  constructor(name: string, version = 1) {
    this.def = { name, version, schemaVersion: 2, tasks: [] };
  }

  description(text: string): this {
    this.def.description = text;
    return this;
  }

  inputs(...names: string[]): this {
    this.def.inputParameters = names;
    return this;
  }

  tasks(...items: TaskItem[]): this {
    this.def.tasks = [...this.def.tasks, ...flatten(items)];
    return this;
  }

  outputs(outputParameters: Inputs): this {
    this.def.outputParameters = outputParameters;
    return this;
  }

  failureWorkflow(name: string): this {
    this.def.failureWorkflow = name;
    return this;
  }

  timeout(seconds: number, policy: WorkflowTimeoutPolicy = 'TIME_OUT_WF'): this {
    this.def.timeoutSeconds = seconds;
    this.def.timeoutPolicy = policy;
    return this;
  }

  variables(variables: Inputs): this {
    this.def.variables = variables;
    return this;
  }

  ownerEmail(email: string): this {
    this.def.ownerEmail = email;
    return this;
  }

  build(): WorkflowDef {
    return JSON.parse(JSON.stringify(this.def)) as WorkflowDef;
  }
}

/** Starts a {@link WorkflowBuilder}. */
export const workflow = (name: string, version = 1): WorkflowBuilder => new WorkflowBuilder(name, version);
