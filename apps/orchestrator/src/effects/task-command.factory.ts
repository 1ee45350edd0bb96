import { effectiveTaskDef, workflowTaskOf, type StartedExecution, type TaskScheduled } from '@app/domain';
import type { TaskCommandMessage } from '@app/messaging';

/** The command a worker receives for a scheduled SIMPLE task (docs/wire-contract.md). */
export function taskCommandOf(state: StartedExecution, scheduled: TaskScheduled['data']): TaskCommandMessage {
  const { definition } = state;
  const workflowTask = workflowTaskOf(state, scheduled.taskRefName);
  const taskDef = workflowTask ? effectiveTaskDef(state, workflowTask, scheduled.taskDefName) : undefined;
  return {
    taskId: scheduled.taskId,
    taskType: scheduled.taskDefName,
    executionId: state.executionId,
    workflowName: definition.name,
    workflowVersion: definition.version ?? 1,
    taskRefName: scheduled.taskRefName,
    attempt: scheduled.attempt,
    input: scheduled.input as Record<string, unknown>,
    ...(state.correlationId !== undefined ? { correlationId: state.correlationId } : {}),
    scheduledAt: scheduled.at,
    responseTimeoutSeconds: taskDef?.responseTimeoutSeconds ?? 3600,
  };
}
