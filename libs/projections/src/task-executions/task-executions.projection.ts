import { ExecutionBatchProjection, type ExecutionBatchModel, keysToLoad } from '../execution-events/execution-batch.projection';
import { type ExecutionEventRecord, taskIdOf } from '../execution-events/execution-event.decoder';
import { applyToTaskExecutions } from './task-executions.reducer';
import { openTaskExecutionsTables, type TaskExecutionsTables } from './task-executions.tables';

const startedId = (record: ExecutionEventRecord): string | undefined => (record.event.type === 'ExecutionStarted' ? record.executionId : undefined);
const scheduledExecutionId = (record: ExecutionEventRecord): string | undefined => (record.event.type === 'TaskScheduled' ? record.executionId : undefined);
const scheduledTaskId = (record: ExecutionEventRecord): string | undefined => (record.event.type === 'TaskScheduled' ? record.event.data.taskId : undefined);

const TASK_EXECUTIONS: ExecutionBatchModel<TaskExecutionsTables> = {
  open: openTaskExecutionsTables,
  async load(trx, tables, records) {
    await tables.workflows.load(trx, keysToLoad(records, startedId, scheduledExecutionId));
    await tables.tasks.load(trx, keysToLoad(records, scheduledTaskId, (record) => taskIdOf(record.event)));
  },
  apply: applyToTaskExecutions,
};

/**
 * Reporting: one `task_executions` row per task attempt, with queue wait and duration. Query it
 * with {@link TaskExecutionsReport}. It keeps its own execution → workflow-name lookup, so it can
 * run (and be rebuilt) independently of the execution index.
 *
 * @example
 * const runner = new ProjectionRunner({ store, db: readModel.db, projection: new TaskExecutionsProjection() });
 */
export class TaskExecutionsProjection extends ExecutionBatchProjection<TaskExecutionsTables> {
  /** @param name the checkpoint's name. */
  constructor(name = 'task-executions') {
    super(name, TASK_EXECUTIONS);
  }
}
