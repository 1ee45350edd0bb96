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
  const nonNegativeInts: (keyof TaskDef)[] = [
    'retryCount', 'retryDelaySeconds', 'maxRetryDelaySeconds', 'backoffJitterMs', 'timeoutSeconds', 'totalTimeoutSeconds',
    'pollTimeoutSeconds', 'rateLimitPerFrequency', 'rateLimitFrequencyInSeconds', 'concurrentExecLimit',
  ];
  for (const field of nonNegativeInts) {
    const value = taskDef[field];
    if (value !== undefined && value !== null && (!Number.isInteger(value) || (value as number) < 0)) add(String(field), 'must be an integer ≥ 0');
  }
  const response = taskDef.responseTimeoutSeconds;
  if (response !== undefined && (!Number.isInteger(response) || response < 1)) add('responseTimeoutSeconds', 'must be an integer ≥ 1');
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
