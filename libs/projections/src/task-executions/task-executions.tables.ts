import { TableBuffer } from '../read-model/table-buffer';
import type { TableSpec } from '../read-model/table-spec';

export const TASK_EXECUTIONS: TableSpec<'task_executions'> = {
  table: 'task_executions',
  key: ['task_id'],
  updatable: ['status', 'started_at', 'ended_at', 'queue_wait_ms', 'duration_ms', 'worker_id', 'reason'],
};

export const TASK_EXECUTION_WORKFLOWS: TableSpec<'task_execution_workflows'> = {
  table: 'task_execution_workflows',
  key: ['execution_id'],
  updatable: [],
};

export interface TaskExecutionsTables {
  readonly tasks: TableBuffer<'task_executions'>;
  readonly workflows: TableBuffer<'task_execution_workflows'>;
}

export function openTaskExecutionsTables(): TaskExecutionsTables {
  return { tasks: new TableBuffer(TASK_EXECUTIONS), workflows: new TableBuffer(TASK_EXECUTION_WORKFLOWS) };
}
