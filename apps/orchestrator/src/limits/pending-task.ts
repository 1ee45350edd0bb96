import { initialState, isTerminalTask, replay, type ExecutionEvent } from '@app/domain';
import { StreamNotFoundError } from '@app/event-store';
import { toExecutionEvent, type ExecutionRepository } from '../executions/execution.repository';

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
  const events = recorded.map(toExecutionEvent).filter((event): event is ExecutionEvent => event !== undefined);
  const task = replay(events, initialState(executionId)).tasks[taskId];
  return task !== undefined && !isTerminalTask(task.status);
}
