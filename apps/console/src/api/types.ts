import type { WorkflowDef, WorkflowTask, TaskDef } from '@app/domain';

export type { WorkflowDef, WorkflowTask, TaskDef };

export type ExecutionStatus = 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'TERMINATED' | 'TIMED_OUT';
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'TERMINATED', 'TIMED_OUT'];

export type TaskStatus = 'SCHEDULED' | 'IN_PROGRESS' | 'COMPLETED' | 'COMPLETED_WITH_ERRORS' | 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR' | 'TIMED_OUT' | 'CANCELED' | 'SKIPPED';

/** One attempt of a task, as `GET /api/workflow/{id}` returns it (Conductor's Task). */
export interface Task {
  readonly taskId: string;
  readonly taskType: string;
  readonly taskDefName: string;
  readonly referenceTaskName: string;
  readonly status: TaskStatus;
  readonly inputData: Record<string, unknown>;
  readonly outputData: Record<string, unknown>;
  readonly retryCount: number;
  readonly seq: number;
  readonly scheduledTime: number;
  readonly startTime: number;
  readonly endTime: number;
  readonly updateTime: number;
  readonly workerId?: string;
  readonly reasonForIncompletion?: string;
  readonly retried: boolean;
  readonly retriedTaskId?: string;
  readonly logs?: readonly string[];
  readonly workflowTask?: WorkflowTask;
}

/** An execution (Conductor's Workflow) with the definition snapshot it runs. */
export interface Workflow {
  readonly workflowId: string;
  readonly workflowName?: string;
  readonly workflowVersion: number;
  readonly status: ExecutionStatus | 'NOT_STARTED';
  readonly input: Record<string, unknown>;
  readonly output: Record<string, unknown>;
  readonly variables: Record<string, unknown>;
  readonly correlationId?: string;
  readonly idempotencyKey?: string;
  readonly reasonForIncompletion?: string;
  readonly failedReferenceTaskNames?: readonly string[];
  readonly parentWorkflowId?: string;
  readonly parentWorkflowTaskId?: string;
  readonly createTime?: number;
  readonly updateTime?: number;
  readonly endTime: number;
  readonly workflowDefinition?: WorkflowDef;
  readonly tasks?: readonly Task[];
}

export interface ExecutionListItem {
  readonly executionId: string;
  readonly workflowName: string;
  readonly workflowVersion: number;
  readonly status: ExecutionStatus;
  readonly correlationId?: string;
  readonly parentExecutionId?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly endedAt?: number;
  readonly reason?: string;
  readonly failedTaskRef?: string;
}

export interface ExecutionSearchPage {
  readonly totalHits: number;
  readonly statusCounts: Partial<Record<ExecutionStatus, number>>;
  readonly results: readonly ExecutionListItem[];
}

export interface ExecutionLinks {
  readonly parent?: ExecutionListItem;
  readonly children: readonly ExecutionListItem[];
  readonly failureWorkflows: readonly ExecutionListItem[];
  readonly compensates?: ExecutionListItem;
}

export interface HistoryEntry {
  readonly revision: string;
  readonly position: string;
  readonly id: string;
  readonly type: string;
  readonly created: string;
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly correlationId?: string; readonly causationId?: string; readonly actor?: string; readonly prevHash?: string; readonly hash?: string; readonly [key: string]: unknown };
}

export interface StateAt {
  readonly revision: string | null;
  readonly recordedAt: string | null;
  readonly eventCount: number;
  readonly totalEvents: number;
  readonly workflow: Workflow;
}

export interface Verification {
  readonly executionId: string;
  readonly valid: boolean;
  readonly eventsChecked: number;
  readonly events: number;
  readonly lastHash?: string;
  readonly firstInvalid?: { readonly revision: string; readonly reason: string };
}

export interface ConsumerBacklog {
  readonly name: string;
  readonly pending: number;
  readonly ackPending: number;
  readonly redelivered: number;
  readonly waitingPulls: number;
}

export interface TaskTypeQueue {
  readonly taskType: string;
  readonly stream?: { readonly messages: number; readonly consumer?: ConsumerBacklog };
  readonly pending?: { readonly taskType: string; readonly scheduled: number; readonly inProgress: number; readonly throttled: number; readonly oldestScheduledAt: number };
  readonly limits?: { readonly concurrentExecLimit?: number; readonly rateLimitPerFrequency?: number; readonly rateLimitFrequencyInSeconds?: number };
}

export interface QueuesReport {
  readonly taskTypes: readonly TaskTypeQueue[];
  readonly results?: ConsumerBacklog;
}

export interface ThrottledTask {
  readonly taskId: string;
  readonly executionId: string;
  readonly taskDefName: string;
  readonly taskRefName: string;
  readonly attempt: number;
  readonly scheduledAt: number;
  readonly reason: string;
  readonly limit: number;
  readonly throttledAt: number;
}

/** An event the read models could not apply: recorded and skipped (`GET /api/operations/quarantine`). */
export interface QuarantinedEvent {
  readonly projection: string;
  readonly streamName: string;
  readonly revision: string;
  readonly eventType: string;
  readonly eventId: string;
  readonly error: string;
  readonly quarantinedAt: number;
}

export interface DeadLetter {
  readonly seq: number;
  readonly time: string;
  readonly subject: string;
  readonly code?: string;
  readonly reason?: string;
  readonly originSubject?: string;
  readonly originStream?: string;
  readonly originSequence?: string;
  readonly deliveries?: string;
  readonly consumer?: string;
  readonly body: string;
  readonly truncated: boolean;
  readonly executionId?: string;
}

export interface DeadLetterPage {
  readonly total: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly letters: readonly DeadLetter[];
}

export interface EventHandler {
  readonly name: string;
  readonly event: string;
  readonly condition?: string;
  readonly evaluatorType?: string;
  readonly active?: boolean;
  readonly actions: readonly { readonly action: string; readonly [key: string]: unknown }[];
}

export interface TaskStats {
  readonly taskDefName: string;
  readonly taskType: string;
  readonly total: number;
  readonly byStatus: Partial<Record<TaskStatus, number>>;
  readonly avgDurationMs: number | null;
  readonly p50DurationMs: number | null;
  readonly avgQueueWaitMs: number | null;
}

/** A change the live feed reports (`GET /api/live`). */
export interface ExecutionChange {
  readonly executionId: string;
  readonly revision: string;
  readonly types: readonly string[];
  readonly status?: string;
  readonly workflowName?: string;
}

/** A problem the API names (`validationErrors[]`). */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}
