import type { TaskDef } from '../definitions/workflow-def';

/**
 * Delay before retrying a failed attempt, Conductor's rules: FIXED = retryDelaySeconds,
 * LINEAR_BACKOFF = retryDelaySeconds × backoffScaleFactor × attempt, EXPONENTIAL_BACKOFF =
 * retryDelaySeconds × 2^(attempt-1); capped by maxRetryDelaySeconds; plus a jitter of up to
 * backoffJitterMs derived from the task id (deterministic, so replays agree).
 */
export function retryDelayMs(taskDef: TaskDef, failedAttempt: number, taskId: string): number {
  const base = Math.max(0, taskDef.retryDelaySeconds ?? 60);
  const scale = typeof taskDef['backoffScaleFactor'] === 'number' ? (taskDef['backoffScaleFactor'] as number) : 1;
  let seconds: number;
  switch (taskDef.retryLogic ?? 'FIXED') {
    case 'LINEAR_BACKOFF':
      seconds = base * scale * failedAttempt;
      break;
    case 'EXPONENTIAL_BACKOFF':
      seconds = base * 2 ** (failedAttempt - 1);
      break;
    default:
      seconds = base;
  }
  const cap = taskDef.maxRetryDelaySeconds ?? 0;
  if (cap > 0) seconds = Math.min(seconds, cap);
  const jitter = taskDef.backoffJitterMs ?? 0;
  return Math.round(seconds * 1000) + (jitter > 0 ? stableHash(taskId) % (jitter + 1) : 0);
}

/** True when a failed attempt may be retried. */
export function hasRetriesLeft(taskDef: TaskDef, failedAttempt: number): boolean {
  return failedAttempt <= (taskDef.retryCount ?? 3);
}

/** FNV-1a: a cheap deterministic spread for jitter; not for security. */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
