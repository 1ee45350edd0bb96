import { dueAfterSeconds } from '../definitions/durations';
import type { TaskDef } from '../definitions/workflow-def';
import type { ExecutionState, TaskState } from './execution-state';

/** The deadlines of a running worker task, in epoch milliseconds (absent when not set). */
export interface TaskDeadlines {
  /** No result or heartbeat since the last update within responseTimeoutSeconds. */
  readonly response?: number;
  /** The attempt has run for timeoutSeconds (not checked again once alerted). */
  readonly attempt?: number;
  /** All attempts together have run for totalTimeoutSeconds. */
  readonly total?: number;
}

/** When the first attempt of a task (following `retriedTaskId` back) was scheduled. */
export function firstScheduledAt(state: ExecutionState, task: TaskState): number {
  let current = task;
  for (let guard = 0; current.retriedTaskId && guard < 10_000; guard += 1) {
    const previous = state.tasks[current.retriedTaskId];
    if (!previous) break;
    current = previous;
  }
  return current.scheduledAt;
}

/** Conductor's task deadlines for an attempt: response timeout (pushed out by heartbeats), attempt timeout, total timeout. */
export function taskDeadlines(state: ExecutionState, task: TaskState, taskDef: TaskDef, alerted = false): TaskDeadlines {
  // A WAIT has no worker to answer: only its attempt and total timeouts apply (Conductor's response budget includes the wait itself).
  const response = task.taskType === 'WAIT' ? 0 : (taskDef.responseTimeoutSeconds ?? 3600);
  const attempt = taskDef.timeoutSeconds ?? 0;
  const total = taskDef.totalTimeoutSeconds ?? 0;
  return {
    ...(response > 0 ? { response: dueAfterSeconds(task.updatedAt, response) } : {}),
    ...(attempt > 0 && !alerted ? { attempt: dueAfterSeconds(task.scheduledAt, attempt) } : {}),
    ...(total > 0 ? { total: dueAfterSeconds(firstScheduledAt(state, task), total) } : {}),
  };
}

/** The earliest deadline, or undefined when the task has none. */
export function nextDeadline(deadlines: TaskDeadlines): number | undefined {
  const all = [deadlines.response, deadlines.attempt, deadlines.total].filter((at): at is number => at !== undefined);
  return all.length === 0 ? undefined : Math.min(...all);
}

/** True when a failed or timed-out attempt may not be retried because the total timeout has passed. */
export function totalTimeoutPassed(state: ExecutionState, task: TaskState, taskDef: TaskDef, now: number): boolean {
  const total = taskDef.totalTimeoutSeconds ?? 0;
  return total > 0 && now >= dueAfterSeconds(firstScheduledAt(state, task), total);
}
