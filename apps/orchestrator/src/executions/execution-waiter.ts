import { Injectable } from '@nestjs/common';
import { isTerminalExecution, isTerminalTask, pendingTasks, tasksInOrder, type ExecutionState, type TaskState } from '@app/domain';
import { ExecutionService } from './execution.service';

/** How often a waiting request looks at the execution again (Conductor's synchronous execute polls every 100 ms). */
const POLL_INTERVAL_MS = 100;

/** What a synchronous call waited for, and what it found. */
export interface WaitOutcome {
  readonly state: ExecutionState;
  /** The pending task the execution waits on from outside, if that is why the wait ended. */
  readonly blockingTask?: TaskState;
  /** The time ran out before the execution ended or blocked. */
  readonly timedOut: boolean;
}

/**
 * A WAIT with neither `duration` nor `until` (it waits for a signal), or a HUMAN task: the tasks
 * Conductor's synchronous execute treats as blocking.
 */
export function blockingTaskOf(state: ExecutionState): TaskState | undefined {
  return pendingTasks(state).find(
    (task) => task.taskType === 'HUMAN' || (task.taskType === 'WAIT' && (task.input.duration === undefined || task.input.duration === '') && (task.input.until === undefined || task.input.until === '')),
  );
}

/**
 * Waits for an execution to end, to block on a signal, or for any of `untilTaskRefs` to finish —
 * whichever comes first — or for `timeoutMs`. The state is read from the event store each time.
 */
@Injectable()
export class ExecutionWaiter {
  constructor(private readonly executions: ExecutionService) {}

  async waitFor(executionId: string, options: { untilTaskRefs?: readonly string[]; timeoutMs: number; ignoreTaskId?: string }): Promise<WaitOutcome> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const state = await this.executions.get(executionId);
      if (isTerminalExecution(state.status)) return { state, timedOut: false };
      const reached = tasksInOrder(state).find((task) => options.untilTaskRefs?.includes(task.taskRefName) && isTerminalTask(task.status));
      if (reached) return { state, blockingTask: reached, timedOut: false };
      const blocking = blockingTaskOf(state);
      // A signal's own task may still show as pending in a read that came a moment before it.
      if (blocking && blocking.taskId !== options.ignoreTaskId) return { state, blockingTask: blocking, timedOut: false };
      if (Date.now() >= deadline) return { state, timedOut: true };
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))));
    }
  }
}
