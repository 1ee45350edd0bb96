import { Injectable } from '@nestjs/common';
import type { StartedExecution, TaskState } from '@app/domain';
import { TaskTypeForbiddenError } from '../auth/auth.errors';
import { actorOf, mayWorkOn, type Principal } from '../auth/principal';
import { ExecutionService } from '../executions/execution.service';
import { ExecutionNotFoundError } from '../executions/orchestrator.errors';

/** Throws 403 unless the principal may poll or report tasks with this name (a worker token's `taskTypes`). */
export function assertMayWorkOn(principal: Principal, taskName: string): void {
  if (!mayWorkOn(principal, taskName)) throw new TaskTypeForbiddenError(taskName, actorOf(principal));
}

/**
 * The task-type limits of worker tokens on routes that name a task by id or reference name: the
 * task's name is read from the execution first. Unlimited principals skip the read.
 */
@Injectable()
export class WorkerTaskAccess {
  constructor(private readonly executions: ExecutionService) {}

  /**
   * Throws 403 when the task exists and the principal may not work on it; an unknown execution or
   * task is left to the command, which answers 404 as for anyone.
   */
  async assertMayReport(principal: Principal, executionId: string, pick: (state: StartedExecution) => TaskState | undefined): Promise<void> {
    if (principal.taskTypes === undefined) return;
    const state = await this.executions.get(executionId).catch((error: unknown) => {
      if (error instanceof ExecutionNotFoundError) return undefined;
      throw error;
    });
    const task = state && pick(state);
    if (task) assertMayWorkOn(principal, task.taskDefName);
  }
}

/** The task with this id. */
export const taskById = (taskId: string) => (state: StartedExecution) => state.tasks[taskId];

/** The latest task with this reference name. */
export const taskByRef = (taskRefName: string) => (state: StartedExecution) => {
  const taskId = state.latestByRef[taskRefName];
  return taskId === undefined ? undefined : state.tasks[taskId];
};
