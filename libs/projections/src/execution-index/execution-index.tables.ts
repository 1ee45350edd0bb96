import type { TableSpec } from '../read-model/table-spec';
import { TableBuffer } from '../read-model/table-buffer';

export const EXECUTIONS: TableSpec<'executions'> = {
  table: 'executions',
  key: ['execution_id'],
  updatable: ['status', 'updated_at', 'ended_at', 'reason', 'output', 'failed_task_ref'],
};

export const PENDING_TASKS: TableSpec<'pending_tasks'> = {
  table: 'pending_tasks',
  key: ['task_id'],
  updatable: ['status', 'updated_at', 'throttled_reason', 'throttled_limit', 'throttled_at'],
  group: 'execution_id',
};

export const TIMERS: TableSpec<'timers'> = {
  table: 'timers',
  key: ['execution_id', 'timer_id'],
  updatable: ['due_at', 'purpose_kind'],
  group: 'execution_id',
};

/** The execution index's tables as one batch sees them. */
export interface ExecutionIndexTables {
  readonly executions: TableBuffer<'executions'>;
  readonly pendingTasks: TableBuffer<'pending_tasks'>;
  readonly timers: TableBuffer<'timers'>;
}

export function openExecutionIndexTables(): ExecutionIndexTables {
  return { executions: new TableBuffer(EXECUTIONS), pendingTasks: new TableBuffer(PENDING_TASKS), timers: new TableBuffer(TIMERS) };
}
