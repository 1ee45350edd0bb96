import { workflowTaskOf, effectiveTaskDef, type ExecutionState, type TaskDef } from '@app/domain';
import type { RateLimit } from './rate-window';

/** The dispatch limits of a task type, from a task definition (Conductor's semantics). */
export interface TaskLimits {
  /** At most this many tasks of the type dispatched and not ended at once (`concurrentExecLimit`). */
  readonly concurrency?: number;
  /** At most `perWindow` dispatches per fixed window (`rateLimitPerFrequency` per `rateLimitFrequencyInSeconds`). */
  readonly rate?: RateLimit;
}

/**
 * The limits a task definition sets, or undefined when it sets none (0 or absent means
 * "no limit", as in Conductor): such tasks take the dispatcher's fast path.
 *
 * @example
 * limitsOf({ name: 'charge', concurrentExecLimit: 3 }); // { concurrency: 3 }
 * limitsOf({ name: 'charge', rateLimitPerFrequency: 5, rateLimitFrequencyInSeconds: 1 }); // { rate: { perWindow: 5, windowMs: 1000 } }
 */
export function limitsOf(taskDef: TaskDef | undefined): TaskLimits | undefined {
  if (!taskDef) return undefined;
  const concurrency = taskDef.concurrentExecLimit ?? 0;
  const perWindow = taskDef.rateLimitPerFrequency ?? 0;
  const seconds = taskDef.rateLimitFrequencyInSeconds ?? 0;
  const rated = perWindow > 0 && seconds > 0;
  // The common case allocates nothing: it is on every dispatch's path.
  if (concurrency <= 0 && !rated) return undefined;
  return { ...(concurrency > 0 ? { concurrency } : {}), ...(rated ? { rate: { perWindow, windowMs: seconds * 1000 } } : {}) };
}

/**
 * The limits of a task of an execution, from the definitions snapshot the execution carries;
 * `taskDefName` is the scheduled task's name when it is not the workflow task's (DYNAMIC).
 */
export function limitsOfTask(state: ExecutionState, taskRefName: string, taskDefName?: string): TaskLimits | undefined {
  const workflowTask = workflowTaskOf(state, taskRefName);
  return workflowTask ? limitsOf(effectiveTaskDef(state, workflowTask, taskDefName)) : undefined;
}
