import { parseExpression, parseReferences, validateParameterTemplate } from '../expressions';
import { TERMINATION_STATUSES } from '../planners/terminate.planner';
import { countProblem, durationMsOf, secondsProblem, untilMsOf } from './durations';
import { isListLoop } from '../planners/do-while.planner';
import { failureWorkflowProblem } from './failure-workflow';
import {
  CONDUCTOR_TASK_TYPES,
  SUPPORTED_TASK_TYPES,
  SWITCH_EVALUATOR_TYPES,
  WORKFLOW_TIMEOUT_POLICIES,
  childTaskLists,
  taskTypeOf,
  type WorkflowDef,
  type WorkflowTask,
} from './workflow-def';
import { validateTaskDef } from './task-def-validator';
import { REFUSED_TASK_TYPES, checkParityTask } from './task-type-checks';

/** One thing wrong with a definition: where (a JSON path) and what. */
export interface DefinitionProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * `nats:<subject>` or `jsm:<subject>` with a literal subject (no wildcards), or Conductor's own
 * queue: `conductor`, `conductor:<event>`, `conductor:<workflow>:<event>` (Baton's event handlers).
 */
export const EVENT_SINK_PATTERN = /^((nats|jsm):[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*|conductor(:[A-Za-z0-9_-]+){0,2})$/;

/** Names usable in stream names and NATS subject tokens. */
export const DEFINITION_NAME_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Checks a workflow definition and returns every problem found (empty when valid): unknown or
 * unsupported task types, duplicate reference names, a FORK_JOIN without its JOIN, a JOIN on
 * nothing or on tasks outside its fork, expressions and `${…}` references that do not parse or
 * point nowhere, bad timeouts.
 */
export function validateWorkflowDef(definition: WorkflowDef): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (typeof definition !== 'object' || definition === null) return [{ path: '', message: 'a workflow definition must be a JSON object' }];

  if (typeof definition.name !== 'string' || !DEFINITION_NAME_PATTERN.test(definition.name)) {
    add('name', 'must be 1–128 letters, digits, "_" or "-"');
  }
  const versionProblem = definition.version === undefined ? undefined : countProblem(definition.version, 1);
  if (versionProblem) add('version', versionProblem);
  if (definition.schemaVersion !== undefined && definition.schemaVersion !== 2) add('schemaVersion', 'must be 2 (Conductor schema version 2)');
  const timeoutProblem = definition.timeoutSeconds === undefined ? undefined : secondsProblem(definition.timeoutSeconds);
  if (timeoutProblem) add('timeoutSeconds', timeoutProblem);
  if (definition.timeoutPolicy !== undefined && !(WORKFLOW_TIMEOUT_POLICIES as readonly string[]).includes(definition.timeoutPolicy)) {
    add('timeoutPolicy', `must be one of ${WORKFLOW_TIMEOUT_POLICIES.join(', ')}`);
  }
  const failureWorkflow = failureWorkflowProblem(definition.failureWorkflow, DEFINITION_NAME_PATTERN);
  if (failureWorkflow) add('failureWorkflow', failureWorkflow);
  const template = definition.inputTemplate;
  if (template !== undefined && (typeof template !== 'object' || template === null || Array.isArray(template))) add('inputTemplate', 'must be a JSON object (default values of workflow inputs)');
  if (!Array.isArray(definition.tasks) || definition.tasks.length === 0) {
    add('tasks', 'must be a non-empty array of tasks');
    return problems;
  }

  const refs = collectRefs(definition.tasks, 'tasks', add);
  checkTasks(definition.tasks, 'tasks', refs, add);
  checkTemplate(definition.outputParameters, 'outputParameters', refs, add);
  return problems;
}

type Add = (path: string, message: string) => void;

/** Every reference name with its path; reports duplicates and missing names. */
function collectRefs(tasks: readonly WorkflowTask[], path: string, add: Add, seen = new Map<string, string>()): Map<string, string> {
  tasks.forEach((task, i) => {
    const at = `${path}[${i}]`;
    if (typeof task !== 'object' || task === null) return;
    const ref = task.taskReferenceName;
    if (typeof ref !== 'string' || ref.trim() === '') add(`${at}.taskReferenceName`, 'is required');
    else if (seen.has(ref)) add(`${at}.taskReferenceName`, `duplicate reference name "${ref}" (also at ${seen.get(ref)})`);
    else seen.set(ref, at);
    for (const [caseKey, caseTasks] of Object.entries(task.decisionCases ?? {})) {
      if (Array.isArray(caseTasks)) collectRefs(caseTasks, `${at}.decisionCases.${caseKey}`, add, seen);
    }
    if (Array.isArray(task.defaultCase)) collectRefs(task.defaultCase, `${at}.defaultCase`, add, seen);
    (Array.isArray(task.forkTasks) ? task.forkTasks : []).forEach((branch, b) => {
      if (Array.isArray(branch)) collectRefs(branch, `${at}.forkTasks[${b}]`, add, seen);
    });
    if (Array.isArray(task.loopOver)) collectRefs(task.loopOver, `${at}.loopOver`, add, seen);
  });
  return seen;
}

function checkTasks(tasks: readonly WorkflowTask[], path: string, refs: Map<string, string>, add: Add): void {
  tasks.forEach((task, i) => {
    const at = `${path}[${i}]`;
    if (typeof task !== 'object' || task === null || Array.isArray(task)) {
      add(at, 'must be a task object');
      return;
    }
    if (typeof task.name !== 'string' || task.name.trim() === '') add(`${at}.name`, 'is required');
    const type = taskTypeOf(task);
    if (!(CONDUCTOR_TASK_TYPES as readonly string[]).includes(task.type ?? 'SIMPLE')) {
      add(`${at}.type`, `unknown task type "${task.type}"; known types: ${CONDUCTOR_TASK_TYPES.join(', ')}`);
      return;
    }
    const refused = REFUSED_TASK_TYPES[task.type ?? 'SIMPLE'];
    if (refused !== undefined) {
      add(`${at}.type`, refused);
      return;
    }
    if (!(SUPPORTED_TASK_TYPES as readonly string[]).includes(task.type ?? 'SIMPLE')) {
      add(`${at}.type`, `task type ${task.type} is not supported by Baton yet; supported: ${SUPPORTED_TASK_TYPES.join(', ')}`);
      return;
    }
    checkTemplate(task.inputParameters, `${at}.inputParameters`, refs, add);
    if (task.taskDefinition !== undefined) {
      for (const problem of validateTaskDef(task.taskDefinition)) add(problem.path ? `${at}.taskDefinition.${problem.path}` : `${at}.taskDefinition`, problem.message);
    }
    switch (type) {
      case 'SIMPLE':
        if (typeof task.name === 'string' && !DEFINITION_NAME_PATTERN.test(task.name)) {
          add(`${at}.name`, 'a SIMPLE task name is its task type and NATS subject token: 1–128 letters, digits, "_" or "-"');
        }
        return;
      case 'SWITCH':
        checkSwitch(task, at, refs, add);
        return;
      case 'FORK_JOIN':
        checkFork(task, tasks[i + 1], at, refs, add);
        return;
      case 'JOIN':
        checkJoin(task, tasks[i - 1], at, add);
        return;
      case 'WAIT':
        checkWait(task, at, add);
        return;
      case 'TERMINATE':
        checkTerminate(task, at, add);
        return;
      case 'INLINE':
        checkInline(task, at, add);
        return;
      case 'DO_WHILE':
        checkLoop(task, at, refs, add);
        return;
      case 'SUB_WORKFLOW':
        checkSubWorkflow(task, at, refs, add);
        return;
      case 'FORK_JOIN_DYNAMIC':
        checkDynamicFork(task, tasks[i + 1], at, add);
        return;
      case 'HTTP':
        checkHttp(task, at, add);
        return;
      case 'JSON_JQ_TRANSFORM':
        checkScriptInput(task, 'queryExpression', 'a JSON_JQ_TRANSFORM task needs a queryExpression (a jq program)', at, add, { mayComeFromRegisteredDef: true });
        return;
      case 'LAMBDA':
        checkScriptInput(task, 'scriptExpression', 'a LAMBDA task needs a scriptExpression', at, add);
        return;
      case 'EVENT':
        if (typeof task.sink !== 'string' || !EVENT_SINK_PATTERN.test(task.sink)) add(`${at}.sink`, 'an EVENT task publishes to nats:<subject>, jsm:<subject> (subject tokens: letters, digits, "_", "-", separated by ".") or conductor[:<event>] (Baton\'s event handlers)');
        return;
      default:
        checkParityTask(type, task, at, add);
    }
  });
}

function checkSwitch(task: WorkflowTask, at: string, refs: Map<string, string>, add: Add): void {
  const legacy = task.type === 'DECISION' && task.evaluatorType === undefined;
  if (legacy) {
    if (!task.caseValueParam && !task.caseExpression) add(at, 'a DECISION needs caseValueParam or caseExpression');
    if (task.caseExpression) checkScript(task.caseExpression, `${at}.caseExpression`, add);
  } else {
    const evaluator = task.evaluatorType ?? 'value-param';
    if (!(SWITCH_EVALUATOR_TYPES as readonly string[]).includes(evaluator)) {
      add(`${at}.evaluatorType`, `must be one of ${SWITCH_EVALUATOR_TYPES.join(', ')}`);
    } else if (typeof task.expression !== 'string' || task.expression.trim() === '') {
      add(`${at}.expression`, 'is required');
    } else if (evaluator === 'value-param') {
      if (!(task.expression in (task.inputParameters ?? {}))) add(`${at}.expression`, `value-param names input parameter "${task.expression}", which inputParameters does not define`);
    } else {
      checkScript(task.expression, `${at}.expression`, add);
    }
  }
  const cases = task.decisionCases;
  if (cases !== undefined && (typeof cases !== 'object' || cases === null || Array.isArray(cases))) {
    add(`${at}.decisionCases`, 'must map case values to task lists');
    return;
  }
  if (Object.keys(cases ?? {}).length === 0 && (task.defaultCase ?? []).length === 0) add(`${at}.decisionCases`, 'a SWITCH needs at least one case or a defaultCase');
  for (const [caseKey, caseTasks] of Object.entries(cases ?? {})) {
    if (!Array.isArray(caseTasks)) add(`${at}.decisionCases.${caseKey}`, 'must be an array of tasks');
    else checkTasks(caseTasks, `${at}.decisionCases.${caseKey}`, refs, add);
  }
  if (task.defaultCase !== undefined) {
    if (!Array.isArray(task.defaultCase)) add(`${at}.defaultCase`, 'must be an array of tasks');
    else checkTasks(task.defaultCase, `${at}.defaultCase`, refs, add);
  }
}

function checkFork(task: WorkflowTask, next: WorkflowTask | undefined, at: string, refs: Map<string, string>, add: Add): void {
  if (!Array.isArray(task.forkTasks) || task.forkTasks.length === 0 || task.forkTasks.some((branch) => !Array.isArray(branch))) {
    add(`${at}.forkTasks`, 'must be a non-empty array of task lists (one per branch)');
    return;
  }
  task.forkTasks.forEach((branch, b) => checkTasks(branch, `${at}.forkTasks[${b}]`, refs, add));
  if (!next || taskTypeOf(next) !== 'JOIN') add(at, `FORK_JOIN ${task.taskReferenceName} must be followed directly by a JOIN`);
}

function checkDynamicFork(task: WorkflowTask, next: WorkflowTask | undefined, at: string, add: Add): void {
  const inputs = task.inputParameters ?? {};
  const tasksParam = task.dynamicForkTasksParam ?? 'dynamicTasks';
  const inputsParam = task.dynamicForkTasksInputParamName ?? 'dynamicTasksInput';
  if (!(tasksParam in inputs)) add(`${at}.inputParameters`, `a FORK_JOIN_DYNAMIC needs inputParameters.${tasksParam} (the list of tasks to fork; see dynamicForkTasksParam)`);
  if (task.dynamicForkTasksInputParamName !== undefined && !(inputsParam in inputs)) add(`${at}.inputParameters`, `dynamicForkTasksInputParamName names inputParameters.${inputsParam}, which is not defined`);
  if (!next || taskTypeOf(next) !== 'JOIN') add(at, `FORK_JOIN_DYNAMIC ${task.taskReferenceName} must be followed directly by a JOIN`);
}

function checkJoin(task: WorkflowTask, previous: WorkflowTask | undefined, at: string, add: Add): void {
  // After a dynamic fork the JOIN waits on whatever branches it creates: nothing to check statically.
  if (previous && taskTypeOf(previous) === 'FORK_JOIN_DYNAMIC') return;
  if (!previous || taskTypeOf(previous) !== 'FORK_JOIN') add(at, `JOIN ${task.taskReferenceName} must directly follow a FORK_JOIN or FORK_JOIN_DYNAMIC`);
  if (!Array.isArray(task.joinOn) || task.joinOn.length === 0) {
    add(`${at}.joinOn`, 'a JOIN must wait on at least one task of its fork (joinOn is empty)');
    return;
  }
  const inFork = new Set<string>();
  const visit = (tasks: readonly WorkflowTask[]) =>
    tasks.forEach((t) => {
      // Non-objects are reported where they stand; here they just contribute no reference.
      if (typeof t !== 'object' || t === null) return;
      inFork.add(t.taskReferenceName);
      childTaskLists(t).forEach(visit);
    });
  if (previous && taskTypeOf(previous) === 'FORK_JOIN') (previous.forkTasks ?? []).forEach((b) => Array.isArray(b) && visit(b));
  task.joinOn.forEach((ref, j) => {
    if (!inFork.has(ref)) add(`${at}.joinOn[${j}]`, `"${ref}" is not a task of the preceding FORK_JOIN's branches`);
  });
}

function checkWait(task: WorkflowTask, at: string, add: Add): void {
  const { duration, until } = (task.inputParameters ?? {}) as Record<string, unknown>;
  // A `${…}` is resolved at run time, where the same parsers fail the task when it resolves badly.
  const literal = (value: unknown) => value !== undefined && value !== null && value !== '' && !(typeof value === 'string' && value.includes('${'));
  if (literal(duration) && durationMsOf(duration) === undefined) {
    add(`${at}.inputParameters.duration`, `${JSON.stringify(duration)} is not a duration like "30s", "5m", "1h 30m" or "2 days", or a number of seconds up to 100 years`);
  }
  if (literal(until) && untilMsOf(until) === undefined) {
    add(`${at}.inputParameters.until`, `${JSON.stringify(until)} is not a time like "2026-12-01 09:30 UTC", an ISO-8601 timestamp or epoch milliseconds`);
  }
  if (duration !== undefined && until !== undefined) add(`${at}.inputParameters`, 'give duration or until, not both');
}

function checkTerminate(task: WorkflowTask, at: string, add: Add): void {
  const status = (task.inputParameters ?? {})['terminationStatus'];
  if (typeof status !== 'string' || (!status.includes('${') && !(TERMINATION_STATUSES as readonly string[]).includes(status))) {
    add(`${at}.inputParameters.terminationStatus`, `must be one of ${TERMINATION_STATUSES.join(', ')}`);
  }
}

function checkLoop(task: WorkflowTask, at: string, refs: Map<string, string>, add: Add): void {
  if (!Array.isArray(task.loopOver) || task.loopOver.length === 0) add(`${at}.loopOver`, 'a DO_WHILE needs a non-empty loopOver list of tasks');
  else checkTasks(task.loopOver, `${at}.loopOver`, refs, add);
  if (typeof task.loopCondition === 'string' && task.loopCondition.trim() !== '') checkScript(task.loopCondition, `${at}.loopCondition`, add);
  else if (!isListLoop(task)) add(`${at}.loopCondition`, 'a DO_WHILE needs a loopCondition, or items (a list to run the body once per element)');
  else if (task.loopCondition !== undefined && typeof task.loopCondition !== 'string') add(`${at}.loopCondition`, 'must be a script');
  checkTemplate(task.items, `${at}.items`, refs, add);
}

function checkSubWorkflow(task: WorkflowTask, at: string, refs: Map<string, string>, add: Add): void {
  const param = task.subWorkflowParam;
  const inline = param?.workflowDefinition;
  if (inline !== undefined) {
    // Inline: a definition (checked like a registered one) or an expression that yields one when the task runs.
    if (typeof inline === 'string') {
      if (!inline.trim().startsWith('${')) add(`${at}.subWorkflowParam.workflowDefinition`, 'must be a workflow definition or an expression "${…}" that gives one');
      else checkTemplate(inline, `${at}.subWorkflowParam.workflowDefinition`, refs, add);
    } else if (typeof inline !== 'object' || inline === null || Array.isArray(inline)) {
      add(`${at}.subWorkflowParam.workflowDefinition`, 'must be a workflow definition or an expression "${…}" that gives one');
    } else {
      for (const problem of validateWorkflowDef(inline)) add(`${at}.subWorkflowParam.workflowDefinition${problem.path ? `.${problem.path}` : ''}`, problem.message);
    }
    return;
  }
  const name = param?.name;
  if (typeof name === 'string' && name.includes('${')) checkTemplate(name, `${at}.subWorkflowParam.name`, refs, add);
  else if (typeof name !== 'string' || !DEFINITION_NAME_PATTERN.test(name)) add(`${at}.subWorkflowParam.name`, 'a SUB_WORKFLOW names the workflow to run (1–128 letters, digits, "_" or "-", or an expression "${…}")');
  const version = param?.version;
  if (typeof version === 'string' && version.includes('${')) checkTemplate(version, `${at}.subWorkflowParam.version`, refs, add);
  else if (version !== undefined) {
    const versionProblem = typeof version === 'number' ? countProblem(version, 1) : 'must be an integer ≥ 1 or an expression "${…}"';
    if (versionProblem) add(`${at}.subWorkflowParam.version`, versionProblem);
  }
}

function checkInline(task: WorkflowTask, at: string, add: Add): void {
  const { evaluatorType = 'javascript', expression } = (task.inputParameters ?? {}) as Record<string, unknown>;
  if (!(SWITCH_EVALUATOR_TYPES as readonly string[]).includes(String(evaluatorType))) {
    add(`${at}.inputParameters.evaluatorType`, `must be one of ${SWITCH_EVALUATOR_TYPES.join(', ')}`);
  } else if (typeof expression !== 'string' || expression.trim() === '') {
    add(`${at}.inputParameters.expression`, 'an INLINE task needs an expression');
  }
  // A script is not parsed here: it runs in the orchestrator's JavaScript sandbox, which reports its syntax errors as the task's failure.
}

/** HTTP: Conductor's rule — `http_request` in the inputs or in the task definition's inputTemplate, or a flat `uri` and `method`. */
function checkHttp(task: WorkflowTask, at: string, add: Add): void {
  const input = (task.inputParameters ?? {}) as Record<string, unknown>;
  const template = (task.taskDefinition?.inputTemplate ?? {}) as Record<string, unknown>;
  const request = input['http_request'] ?? template['http_request'];
  if (request !== undefined && request !== null) {
    if (typeof request !== 'string' && (typeof request !== 'object' || Array.isArray(request))) add(`${at}.inputParameters.http_request`, 'must be an object (uri, method, headers, body…) or a ${…} reference');
    return;
  }
  // A registered task definition of the task's name may still supply http_request: only an inline one can be checked here.
  if (task.taskDefinition !== undefined && (input['uri'] === undefined || input['method'] === undefined)) add(`${at}.inputParameters`, 'an HTTP task needs http_request, or uri and method');
}

/**
 * JSON_JQ_TRANSFORM and LAMBDA: the program in the inputs (or the inline task definition's
 * inputTemplate) must be text. A jq program may also come from the inputTemplate of a registered
 * task definition (Conductor accepts that), which this check cannot see: missing, it fails at run time.
 */
function checkScriptInput(task: WorkflowTask, key: string, message: string, at: string, add: Add, options: { mayComeFromRegisteredDef?: boolean } = {}): void {
  const value = (task.inputParameters as Record<string, unknown> | undefined)?.[key] ?? (task.taskDefinition?.inputTemplate as Record<string, unknown> | undefined)?.[key];
  if (value === undefined && options.mayComeFromRegisteredDef && task.taskDefinition === undefined) return;
  if (typeof value !== 'string' || value.trim() === '') add(`${at}.inputParameters.${key}`, message);
}

function checkScript(source: string, path: string, add: Add): void {
  try {
    parseExpression(source);
  } catch (error) {
    add(path, `expression does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function checkTemplate(template: unknown, path: string, refs: Map<string, string>, add: Add): void {
  if (template === undefined) return;
  for (const problem of validateParameterTemplate(template)) add(path, problem);
  for (const reference of parseReferences(template)) {
    if (reference.kind === 'task' && !refs.has(reference.root)) {
      add(path, `\${${reference.path}} refers to task "${reference.root}", which this workflow does not define`);
    }
  }
}
