import type { DurableTimerSource } from '../timers/timer.service';

/** DI token of the {@link OperationalIndex}. */
export const OPERATIONAL_INDEX = Symbol('OPERATIONAL_INDEX');

/**
 * The orchestrator's read model of all executions (a projection of the event log): what it
 * needs to recover after a crash, fire timers and search.
 */
export interface OperationalIndex extends DurableTimerSource {
  /** Runs the projection and resolves once it has caught up with the log. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Task attempts still SCHEDULED (no worker reported on them), by task id, paged. */
  scheduledTasks(afterTaskId: string | undefined, limit: number): Promise<{ executionId: string; taskId: string }[]>;
}
