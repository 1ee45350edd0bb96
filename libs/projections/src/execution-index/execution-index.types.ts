import type { IndexedExecutionStatus, PendingTaskStatus } from '../read-model/read-model.schema';

/** An execution as the index knows it (Conductor's `WorkflowSummary`). Times are epoch milliseconds. */
export interface ExecutionSummary {
  readonly executionId: string;
  readonly workflowName: string;
  readonly workflowVersion: number;
  readonly status: IndexedExecutionStatus;
  readonly correlationId?: string;
  readonly idempotencyKey?: string;
  readonly parentExecutionId?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly endedAt?: number;
  readonly reason?: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly output?: Readonly<Record<string, unknown>>;
  readonly failedTaskRef?: string;
}

export interface ExecutionSearch {
  readonly workflowName?: string;
  /** Only executions of this definition version. */
  readonly workflowVersion?: number;
  readonly status?: IndexedExecutionStatus | readonly IndexedExecutionStatus[];
  readonly correlationId?: string;
  /** Case-insensitive substring of the execution id, correlation id or workflow name; `*` = anything. */
  readonly freeText?: string;
  /** Started at or after this time (epoch ms). */
  readonly createdFrom?: number;
  /** Started before this time (epoch ms). */
  readonly createdTo?: number;
  /** Offset. Default 0. */
  readonly start?: number;
  /** Page size. Default 100, at most 1000. */
  readonly size?: number;
  /**
   * `field:ASC|DESC`, several allowed (array or comma-separated). Fields: createdAt (startTime),
   * updatedAt (updateTime), endedAt (endTime), workflowName (workflowType), status, executionId
   * (workflowId), correlationId. Default `createdAt:DESC`.
   */
  readonly sort?: string | readonly string[];
}

export interface SearchResult<T> {
  readonly totalHits: number;
  readonly results: readonly T[];
}

export interface PendingTask {
  readonly taskId: string;
  readonly executionId: string;
  readonly taskDefName: string;
  readonly taskRefName: string;
  readonly taskType: string;
  readonly attempt: number;
  readonly status: PendingTaskStatus;
  readonly scheduledAt: number;
  readonly updatedAt: number;
}

/** How many executions matching a search are in each status (the search's own status filter left out). */
export type StatusCounts = Readonly<Partial<Record<IndexedExecutionStatus, number>>>;

/** Unfinished attempts of one task type, by status; `throttled` of them wait for a limit. */
export interface PendingTaskCount {
  readonly taskDefName: string;
  readonly taskType: string;
  readonly scheduled: number;
  readonly inProgress: number;
  readonly throttled: number;
  /** When the oldest of them was scheduled. */
  readonly oldestScheduledAt: number;
}

/** A task whose command waits for its type's rate or concurrency limit. */
export interface ThrottledTask extends PendingTask {
  readonly reason: string;
  readonly limit: number;
  readonly throttledAt: number;
}

export interface PendingTaskQuery {
  readonly status?: PendingTaskStatus;
  readonly taskDefName?: string;
  readonly taskType?: string;
  /** Keyset paging: tasks whose id sorts after this one. */
  readonly afterTaskId?: string;
  /** Default 100, at most 10,000. */
  readonly limit?: number;
}

/** Where a page of timers ended (the last timer of it). */
export interface TimerCursor {
  readonly dueAt: number;
  readonly executionId: string;
  readonly timerId: string;
}

export interface DueTimer {
  readonly executionId: string;
  readonly timerId: string;
  readonly dueAt: number;
  readonly purposeKind: string;
}
