import { initialState, isTerminalTask, replay, toExecutionEvents } from '@app/domain';
import { StreamNotFoundError } from '@app/event-store';
import type { ExecutionRepository } from '../executions/execution.repository';

/**
 * Whether the log says a task is still pending (scheduled or running). Reads the stream itself,
 * not the state cache: another replica may have ended the task since this one cached the execution.
 */
export async function isTaskPending(repository: ExecutionRepository, executionId: string, taskId: string): Promise<boolean> {
  let recorded;
  try {
    recorded = await repository.history(executionId);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return false;
    throw error;
  }
  const task = replay(toExecutionEvents(recorded), initialState(executionId)).tasks[taskId];
  return task !== undefined && !isTerminalTask(task.status);
}
