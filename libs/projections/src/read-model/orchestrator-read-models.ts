import { ExecutionIndexProjection } from '../execution-index/execution-index.projection';
import type { Projection } from '../runner/projection';
import { TaskExecutionsProjection } from '../task-executions/task-executions.projection';
import type { ReadModelSchema } from './read-model.schema';

/** Checkpoint name of the orchestrator's read models (one composite projection): the orchestrator and `baton projections rebuild` share it. */
export const ORCHESTRATOR_READ_MODELS = 'orchestrator-read-models';

/** The read models the orchestrator keeps, in the order they are applied: the execution index and the task report. */
export function orchestratorReadModelParts(): Projection[] {
  return [new ExecutionIndexProjection(), new TaskExecutionsProjection()];
}

/**
 * Every table the read models fill (the checkpoints aside): what a rebuild empties. A `Record`
 * over the schema, so a table added to it must be named here too.
 */
export const READ_MODEL_TABLES: Readonly<Record<Exclude<keyof ReadModelSchema, 'projection_checkpoints'>, true>> = {
  executions: true,
  pending_tasks: true,
  timers: true,
  task_executions: true,
  task_execution_workflows: true,
  // A rebuild replays every event: what cannot be applied is quarantined again.
  quarantined_events: true,
};
