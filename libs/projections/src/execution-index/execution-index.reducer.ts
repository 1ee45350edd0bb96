import { assertNever, isInProcessTaskType, timerTaskId } from '@app/domain';
import type { ExecutionEventRecord } from '../execution-events/execution-event.decoder';
import type { ExecutionsTable, IndexedExecutionStatus } from '../read-model/read-model.schema';
import type { ExecutionIndexTables } from './execution-index.tables';

interface Ending {
  readonly status: IndexedExecutionStatus;
  readonly at: number;
  readonly reason?: string;
  readonly output?: Readonly<Record<string, unknown>>;
  readonly failedTaskRef?: string;
}

/** An execution that ended has no pending task or armed timer left, whatever events are missing. */
function end(tables: ExecutionIndexTables, executionId: string, ending: Ending): void {
  tables.executions.update([executionId], (row) => ({
    ...row,
    status: ending.status,
    ended_at: ending.at,
    reason: ending.reason ?? null,
    output: ending.output === undefined ? null : JSON.stringify(ending.output),
    failed_task_ref: ending.failedTaskRef ?? null,
  }));
  tables.pendingTasks.purge(executionId);
  tables.timers.purge(executionId);
}

/** An operator's retry, rerun or restart: running again, no longer ended. */
function reopen(tables: ExecutionIndexTables, executionId: string): void {
  tables.executions.update([executionId], (row) => ({ ...row, status: 'RUNNING', ended_at: null, reason: null, output: null, failed_task_ref: null }));
}

function setStatus(tables: ExecutionIndexTables, executionId: string, status: IndexedExecutionStatus): void {
  tables.executions.update([executionId], (row) => ({ ...row, status }));
}

function started(executionId: string, data: Extract<ExecutionEventRecord['event'], { type: 'ExecutionStarted' }>['data']): ExecutionsTable {
  return {
    execution_id: executionId,
    workflow_name: data.definition.name,
    workflow_version: data.definition.version ?? 1,
    status: 'RUNNING',
    correlation_id: data.correlationId ?? null,
    idempotency_key: data.idempotencyKey ?? null,
    parent_execution_id: data.parent?.executionId ?? null,
    created_at: data.at,
    updated_at: data.at,
    ended_at: null,
    reason: null,
    input: JSON.stringify(data.input),
    output: null,
    failed_task_ref: null,
  };
}

/** Applies one execution event to the operational index (executions, pending tasks, timers). */
export function applyToExecutionIndex(tables: ExecutionIndexTables, { executionId, event }: ExecutionEventRecord): void {
  const at = event.data.at;
  tables.executions.update([executionId], (row) => (at > row.updated_at ? { ...row, updated_at: at } : row));
  switch (event.type) {
    case 'ExecutionStarted':
      return tables.executions.put(started(executionId, event.data));
    case 'TaskScheduled': {
      const d = event.data;
      return tables.pendingTasks.put({
        task_id: d.taskId, execution_id: executionId, task_def_name: d.taskDefName, task_ref_name: d.taskRefName,
        task_type: d.taskType, attempt: d.attempt,
        // Worker tasks wait to be picked up and in-process tasks (HTTP, scripts, jq) to be run: recovery
        // sends or runs what is still SCHEDULED after a crash. Other system tasks (WAIT, JOIN…) start in progress.
        status: d.taskType === 'SIMPLE' || isInProcessTaskType(d.taskType) ? 'SCHEDULED' : 'IN_PROGRESS', scheduled_at: at, updated_at: at,
        throttled_reason: null, throttled_limit: null, throttled_at: null,
      });
    }
    case 'TaskProgressReported':
      return tables.pendingTasks.update([event.data.taskId], (row) => ({ ...row, status: 'IN_PROGRESS', updated_at: Math.max(row.updated_at, at) }));
    case 'TaskCompleted':
    case 'TaskFailed':
    case 'TaskTimedOut':
    case 'TaskCanceled':
    case 'TaskSkipped':
      // The task's timers (its deadlines, a WAIT's duration) end with it, as in the decider.
      tables.timers.purgeWhere('task_id', event.data.taskId);
      return tables.pendingTasks.delete([event.data.taskId]);
    case 'TaskThrottled':
      return tables.pendingTasks.update([event.data.taskId], (row) => ({ ...row, throttled_reason: event.data.reason, throttled_limit: event.data.limit, throttled_at: at }));
    case 'TaskDispatched':
      return tables.pendingTasks.update([event.data.taskId], (row) => ({ ...row, throttled_reason: null, throttled_limit: null, throttled_at: null }));
    case 'TimeoutAlerted':
    case 'VariablesUpdated':
    case 'LoopIterationStarted':
    case 'DynamicTasksForked':
    case 'TaskCompletedWithErrors': // follows the TaskFailed or TaskTimedOut that took the task off the pending list
      return;
    case 'TimerStarted':
      return tables.timers.put({ execution_id: executionId, timer_id: event.data.timerId, due_at: event.data.dueAt, purpose_kind: event.data.purpose.kind, task_id: timerTaskId(event.data.purpose) ?? null });
    case 'TimerFired':
      return tables.timers.delete([executionId, event.data.timerId]);
    case 'ExecutionCompleted':
      return end(tables, executionId, { status: 'COMPLETED', at, output: event.data.output });
    case 'ExecutionFailed':
      return end(tables, executionId, { status: 'FAILED', at, reason: event.data.reason, output: event.data.output, failedTaskRef: event.data.failedTaskRefName });
    case 'ExecutionTerminated':
      return end(tables, executionId, { status: 'TERMINATED', at, reason: event.data.reason, output: event.data.output });
    case 'ExecutionTimedOut':
      return end(tables, executionId, { status: 'TIMED_OUT', at, reason: event.data.reason ?? 'workflow timed out', output: event.data.output, failedTaskRef: event.data.failedTaskRefName });
    case 'SignalReceived':
      // A buffered WAIT completion changes no indexed row until its task runs.
      return;
    case 'ExecutionPaused':
      return setStatus(tables, executionId, 'PAUSED');
    case 'ExecutionResumed':
      return setStatus(tables, executionId, 'RUNNING');
    case 'ExecutionRetried':
    case 'ExecutionRerun':
    case 'ExecutionRestarted':
      return reopen(tables, executionId);
    case 'ExecutionRemoved':
      // Hidden from search and correlation lookups; the stream keeps its history.
      tables.pendingTasks.purge(executionId);
      tables.timers.purge(executionId);
      return tables.executions.delete([executionId]);
    case 'TaskLogAdded':
      return;
    default:
      return assertNever(event, 'execution event');
  }
}
