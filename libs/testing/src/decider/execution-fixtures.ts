import type { ExecutionEvent, TaskDef, WorkflowDef } from '@app/domain';

/** ExecutionStarted for a definition, for given/when/then histories. */
export function startedEvent(
  definition: WorkflowDef,
  options: { executionId?: string; input?: Record<string, unknown>; taskDefs?: Record<string, TaskDef>; at?: number; correlationId?: string } = {},
): ExecutionEvent {
  return {
    type: 'ExecutionStarted',
    data: {
      executionId: options.executionId ?? 'exec-1',
      definition,
      taskDefs: options.taskDefs ?? {},
      input: options.input ?? {},
      ...(options.correlationId ? { correlationId: options.correlationId } : {}),
      at: options.at ?? 0,
    },
  };
}

/** TaskScheduled as the decider writes it. */
export function scheduledEvent(taskId: string, taskRefName: string, options: { taskType?: string; taskDefName?: string; attempt?: number; input?: Record<string, unknown>; at?: number; retriedTaskId?: string; iteration?: number } = {}): ExecutionEvent {
  return {
    type: 'TaskScheduled',
    data: {
      taskId,
      taskRefName,
      taskDefName: options.taskDefName ?? taskRefName,
      taskType: options.taskType ?? 'SIMPLE',
      attempt: options.attempt ?? 1,
      input: options.input ?? {},
      ...(options.retriedTaskId ? { retriedTaskId: options.retriedTaskId } : {}),
      ...(options.iteration !== undefined ? { iteration: options.iteration } : {}),
      at: options.at ?? 0,
    },
  };
}

/** TaskCompleted as the decider writes it. */
export function completedEvent(taskId: string, output: Record<string, unknown> = {}, at = 0, workerId?: string): ExecutionEvent {
  return { type: 'TaskCompleted', data: { taskId, output, ...(workerId ? { workerId } : {}), at } };
}

/** Shape of the deadline timer every worker task gets when scheduled (for `thenMatches`). */
export function deadlineTimer(taskId?: string): { type: 'TimerStarted'; data: Record<string, unknown> } {
  return { type: 'TimerStarted', data: { purpose: { kind: 'TASK_TIMEOUT', ...(taskId ? { taskId } : {}) } } };
}
