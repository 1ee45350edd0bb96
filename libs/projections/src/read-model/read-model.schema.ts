import type { ExecutionStatus, TaskStatus } from '@app/domain';

/** Statuses an indexed execution can have (a stream without `ExecutionStarted` is never indexed). */
export type IndexedExecutionStatus = Exclude<ExecutionStatus, 'NOT_STARTED'>;

/** Statuses of a task attempt that is not finished yet. */
export type PendingTaskStatus = Extract<TaskStatus, 'SCHEDULED' | 'IN_PROGRESS'>;

/** One row per projection: where in `$all` its tables are up to. */
export interface ProjectionCheckpointsTable {
  projection_name: string;
  /** Decimal text: positions are unsigned 64-bit in EventStoreDB, beyond a signed `bigint`. `null` = from the start. */
  commit_position: string | null;
  prepare_position: string | null;
  /** Bumped by every batch; a writer that finds another value lost a race with a replica. */
  version: number;
  updated_at: number;
}

export interface ExecutionsTable {
  execution_id: string;
  workflow_name: string;
  workflow_version: number;
  status: IndexedExecutionStatus;
  correlation_id: string | null;
  idempotency_key: string | null;
  parent_execution_id: string | null;
  /** Epoch milliseconds, like every `*_at` column. */
  created_at: number;
  updated_at: number;
  ended_at: number | null;
  reason: string | null;
  /** JSON text. */
  input: string;
  /** JSON text, set when the execution ends. */
  output: string | null;
  failed_task_ref: string | null;
}

export interface PendingTasksTable {
  task_id: string;
  execution_id: string;
  task_def_name: string;
  task_ref_name: string;
  task_type: string;
  attempt: number;
  status: PendingTaskStatus;
  scheduled_at: number;
  updated_at: number;
  /** Why its command waits (`CONCURRENCY_LIMIT`, `RATE_LIMIT`) and the limit, from TaskThrottled until TaskDispatched. */
  throttled_reason: string | null;
  throttled_limit: number | null;
  throttled_at: number | null;
}

export interface TimersTable {
  execution_id: string;
  timer_id: string;
  due_at: number;
  purpose_kind: string;
  /** The task the timer is about (deadlines, WAIT): its rows go when the task ends. */
  task_id: string | null;
}

export interface TaskExecutionsTable {
  task_id: string;
  execution_id: string;
  /** `null` only if the execution's start was never seen (a history that does not begin with `ExecutionStarted`). */
  workflow_name: string | null;
  task_def_name: string;
  task_ref_name: string;
  task_type: string;
  attempt: number;
  status: TaskStatus;
  scheduled_at: number;
  started_at: number | null;
  ended_at: number | null;
  queue_wait_ms: number | null;
  duration_ms: number | null;
  worker_id: string | null;
  reason: string | null;
}

/** The task-executions projection's own lookup, so it never depends on another projection's progress. */
export interface TaskExecutionWorkflowsTable {
  execution_id: string;
  workflow_name: string;
}

/** Every table of the read-model database, for `Kysely<ReadModelSchema>`. */
/** An event a projection could not apply: recorded and skipped (its checkpoint moved past it). */
export interface QuarantinedEventsTable {
  projection_name: string;
  commit_position: string;
  prepare_position: string;
  stream_name: string;
  /** Decimal text, as positions. */
  stream_revision: string;
  event_type: string;
  event_id: string;
  /** The error applying it raised. */
  error: string;
  quarantined_at: number;
}

export interface ReadModelSchema {
  projection_checkpoints: ProjectionCheckpointsTable;
  quarantined_events: QuarantinedEventsTable;
  executions: ExecutionsTable;
  pending_tasks: PendingTasksTable;
  timers: TimersTable;
  task_executions: TaskExecutionsTable;
  task_execution_workflows: TaskExecutionWorkflowsTable;
}

export type ReadModelTable = keyof ReadModelSchema;
