import { ExecutionBatchProjection, type ExecutionBatchModel, keysToLoad } from '../execution-events/execution-batch.projection';
import { type ExecutionEventRecord, taskIdOf } from '../execution-events/execution-event.decoder';
import { applyToExecutionIndex } from './execution-index.reducer';
import { type ExecutionIndexTables, openExecutionIndexTables } from './execution-index.tables';

const startedId = (record: ExecutionEventRecord): string | undefined => (record.event.type === 'ExecutionStarted' ? record.executionId : undefined);
const scheduledTaskId = (record: ExecutionEventRecord): string | undefined => (record.event.type === 'TaskScheduled' ? record.event.data.taskId : undefined);
/** Only a progress report changes a pending row in place; completions delete without reading. */
const progressTaskId = (record: ExecutionEventRecord): string | undefined => (record.event.type === 'TaskProgressReported' ? taskIdOf(record.event) : undefined);

const EXECUTION_INDEX: ExecutionBatchModel<ExecutionIndexTables> = {
  open: openExecutionIndexTables,
  async load(trx, tables, records) {
    await tables.executions.load(trx, keysToLoad(records, startedId, (record) => record.executionId));
    await tables.pendingTasks.load(trx, keysToLoad(records, scheduledTaskId, progressTaskId));
  },
  apply: applyToExecutionIndex,
};

/**
 * The orchestrator's operational index: `executions` (search, correlation lookups), `pending_tasks`
 * (crash recovery) and `timers` (the timer service's due list). Query it with
 * {@link ExecutionIndex}.
 *
 * @example
 * const runner = new ProjectionRunner({ store, db: readModel.db, projection: new ExecutionIndexProjection() });
 */
export class ExecutionIndexProjection extends ExecutionBatchProjection<ExecutionIndexTables> {
  /** @param name the checkpoint's name. */
  constructor(name = 'execution-index') {
    super(name, EXECUTION_INDEX);
  }
}
