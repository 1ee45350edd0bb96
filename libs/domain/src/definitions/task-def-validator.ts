import { countProblem, isIntegerIn, MAX_COUNT, MAX_DURATION_MS, secondsProblem } from './durations';
import { RETRY_LOGICS, TASK_TIMEOUT_POLICIES, type TaskDef } from './workflow-def';

/** One thing wrong with a task definition. */
export interface TaskDefProblem {
  readonly path: string;
  readonly message: string;
}

const NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** Checks a Conductor `TaskDef` and returns every problem found (empty when valid). */
export function validateTaskDef(taskDef: TaskDef): TaskDefProblem[] {
  const problems: TaskDefProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (typeof taskDef !== 'object' || taskDef === null || Array.isArray(taskDef)) return [{ path: '', message: 'a task definition must be a JSON object' }];
  if (typeof taskDef.name !== 'string' || !NAME.test(taskDef.name)) add('name', 'must be 1–128 letters, digits, "_" or "-" (it is the NATS subject token of the task type)');
  // Bounded, not just integers: 1e308 is an integer to JavaScript, and a timeout of it would be an
  // Infinity deadline no read model can store.
  const seconds: (keyof TaskDef)[] = ['retryDelaySeconds', 'maxRetryDelaySeconds', 'timeoutSeconds', 'totalTimeoutSeconds', 'pollTimeoutSeconds', 'rateLimitFrequencyInSeconds'];
  const counts: (keyof TaskDef)[] = ['retryCount', 'rateLimitPerFrequency', 'concurrentExecLimit'];
  const present = (field: keyof TaskDef) => taskDef[field] !== undefined && taskDef[field] !== null;
  for (const field of seconds.filter(present)) {
    const problem = secondsProblem(taskDef[field]);
    if (problem) add(String(field), problem);
  }
  for (const field of counts.filter(present)) {
    const problem = countProblem(taskDef[field]);
    if (problem) add(String(field), problem);
  }
  if (present('backoffJitterMs') && !isIntegerIn(taskDef.backoffJitterMs, 0, MAX_DURATION_MS)) add('backoffJitterMs', `must be an integer from 0 to ${MAX_DURATION_MS}`);
  const scale: unknown = taskDef['backoffScaleFactor'];
  if (scale !== undefined && scale !== null && !(typeof scale === 'number' && Number.isFinite(scale) && scale >= 0 && scale <= MAX_COUNT)) {
    add('backoffScaleFactor', `must be a number from 0 to ${MAX_COUNT}`);
  }
  const response = taskDef.responseTimeoutSeconds;
  const responseProblem = response === undefined ? undefined : secondsProblem(response, 1);
  if (responseProblem) add('responseTimeoutSeconds', responseProblem);
  const timeout = taskDef.timeoutSeconds ?? 0;
  if (Number.isInteger(response) && timeout > 0 && (response as number) > timeout) {
    add('responseTimeoutSeconds', `must not exceed timeoutSeconds (${timeout})`);
  }
  if (taskDef.retryLogic !== undefined && !(RETRY_LOGICS as readonly string[]).includes(taskDef.retryLogic)) add('retryLogic', `must be one of ${RETRY_LOGICS.join(', ')}`);
  if (taskDef.timeoutPolicy !== undefined && !(TASK_TIMEOUT_POLICIES as readonly string[]).includes(taskDef.timeoutPolicy)) {
    add('timeoutPolicy', `must be one of ${TASK_TIMEOUT_POLICIES.join(', ')}`);
  }
  if ((taskDef.rateLimitPerFrequency ?? 0) > 0 && !((taskDef.rateLimitFrequencyInSeconds ?? 0) > 0)) {
    add('rateLimitFrequencyInSeconds', 'must be ≥ 1 when rateLimitPerFrequency is set');
  }
  if (taskDef.inputTemplate !== undefined && (typeof taskDef.inputTemplate !== 'object' || taskDef.inputTemplate === null || Array.isArray(taskDef.inputTemplate))) {
    add('inputTemplate', 'must be a JSON object');
  }
  return problems;
}
