import { assertNever, type TaskStatus } from '@app/domain';
import type { ExecutionEventRecord } from '../execution-events/execution-event.decoder';
import type { TaskExecutionsTable } from '../read-model/read-model.schema';
import type { TaskExecutionsTables } from './task-executions.tables';

interface Outcome {
  readonly status: TaskStatus;
  readonly at: number;
  readonly reason?: string;
  readonly workerId?: string;
}

/**
 * Conductor's timings: queue wait = start − scheduled, duration = end − start. A worker that
 * answers without an IN_PROGRESS report has no known start: its duration runs from scheduling.
 */
function finish(row: TaskExecutionsTable, outcome: Outcome): TaskExecutionsTable {
  return {
    ...row,
    status: outcome.status,
    ended_at: outcome.at,
    duration_ms: Math.max(0, outcome.at - (row.started_at ?? row.scheduled_at)),
    worker_id: outcome.workerId ?? row.worker_id,
    reason: outcome.reason ?? null,
  };
}

function start(row: TaskExecutionsTable, at: number, workerId: string | undefined): TaskExecutionsTable {
  const startedAt = row.started_at ?? at;
  return { ...row, status: 'IN_PROGRESS', started_at: startedAt, queue_wait_ms: Math.max(0, startedAt - row.scheduled_at), worker_id: workerId ?? row.worker_id };
}

/** Applies one execution event to the reporting table of task attempts. */
export function applyToTaskExecutions(tables: TaskExecutionsTables, { executionId, event }: ExecutionEventRecord): void {
  switch (event.type) {
    case 'ExecutionStarted':
      return tables.workflows.put({ execution_id: executionId, workflow_name: event.data.definition.name });
    case 'TaskScheduled': {
      const d = event.data;
      return tables.tasks.put({
        task_id: d.taskId, execution_id: executionId, workflow_name: tables.workflows.get([executionId])?.workflow_name ?? null,
        task_def_name: d.taskDefName, task_ref_name: d.taskRefName, task_type: d.taskType, attempt: d.attempt, status: 'SCHEDULED',
        scheduled_at: d.at, started_at: null, ended_at: null, queue_wait_ms: null, duration_ms: null, worker_id: null, reason: null,
      });
    }
    case 'TaskProgressReported':
      return tables.tasks.update([event.data.taskId], (row) => start(row, event.data.at, event.data.workerId));
    case 'TaskCompleted':
      return tables.tasks.update([event.data.taskId], (row) => finish(row, { status: 'COMPLETED', at: event.data.at, workerId: event.data.workerId }));
    case 'TaskFailed': {
      const d = event.data;
      const status = d.terminal ? 'FAILED_WITH_TERMINAL_ERROR' : 'FAILED';
      return tables.tasks.update([d.taskId], (row) => finish(row, { status, at: d.at, reason: d.reason, workerId: d.workerId }));
    }
    case 'TaskTimedOut':
      return tables.tasks.update([event.data.taskId], (row) => finish(row, { status: 'TIMED_OUT', at: event.data.at, reason: event.data.reason }));
    case 'TaskCanceled':
      return tables.tasks.update([event.data.taskId], (row) => finish(row, { status: 'CANCELED', at: event.data.at, reason: event.data.reason }));
    case 'TaskSkipped':
      return tables.tasks.update([event.data.taskId], (row) => finish(row, { status: 'SKIPPED', at: event.data.at, reason: event.data.reason }));
    case 'TaskCompletedWithErrors':
      // An optional task that gave up: its attempt ended as recorded (time, reason), only the status changes.
      return tables.tasks.update([event.data.taskId], (row) => ({ ...row, status: 'COMPLETED_WITH_ERRORS' }));
    // The decider cancels an ended execution's tasks with TaskCanceled; nothing else here concerns attempts.
    case 'TimerStarted':
    case 'TimerFired':
    case 'SignalReceived':
    case 'VariablesUpdated':
    case 'LoopIterationStarted':
    case 'DynamicTasksForked':
    case 'TaskThrottled':
    case 'TaskDispatched':
    case 'TimeoutAlerted':
    case 'ExecutionRetried':
    case 'ExecutionRerun':
    case 'ExecutionRestarted':
    case 'ExecutionCompleted':
    case 'ExecutionFailed':
    case 'ExecutionTerminated':
    case 'ExecutionTimedOut':
    case 'ExecutionPaused':
    case 'ExecutionResumed':
    case 'TaskLogAdded':
      return;
    case 'ExecutionRemoved':
      // A removed execution's attempts leave task search (its history keeps them).
      return tables.tasks.purgeWhere('execution_id', executionId);
    default:
      return assertNever(event, 'execution event');
  }
}
