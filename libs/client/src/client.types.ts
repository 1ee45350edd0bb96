import type { ExecutionStatus, TaskDef, TaskStatus, WorkflowDef } from '@app/domain';

export type { ExecutionStatus, TaskDef, TaskStatus, WorkflowDef };

/** Options of a {@link BatonClient}. */
export interface BatonClientOptions {
  /** The orchestrator, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Per request. Default 30 s. */
  readonly timeoutMs?: number;
  /** Names the caller in the history (`x-baton-client` header). */
  readonly clientName?: string;
  /** The fetch to use (tests, proxies). Default: the global one. */
  readonly fetch?: typeof fetch;
}

/** Conductor's Task JSON, as `GET /api/workflow/{id}` returns each task. */
export interface WorkflowTask {
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
  readonly [field: string]: unknown;
}

/** Conductor's Workflow JSON (`GET /api/workflow/{id}`). */
export interface Workflow {
  readonly workflowId: string;
  readonly workflowName: string;
  readonly workflowVersion: number;
  readonly status: Exclude<ExecutionStatus, 'NOT_STARTED'>;
  readonly input: Record<string, unknown>;
  readonly output: Record<string, unknown>;
  readonly variables: Record<string, unknown>;
  readonly correlationId?: string;
  readonly reasonForIncompletion?: string;
  readonly createTime: number;
  readonly updateTime: number;
  readonly endTime: number;
  readonly tasks?: readonly WorkflowTask[];
  readonly [field: string]: unknown;
}

/** One search hit (Conductor's WorkflowSummary; `input`/`output` are JSON text, as Conductor's). */
export interface WorkflowSummary {
  readonly workflowId: string;
  readonly workflowType: string;
  readonly version: number;
  readonly correlationId?: string;
  readonly status: string;
  readonly startTime: number;
  readonly updateTime: number;
  readonly endTime: number;
  readonly executionTime: number;
  readonly reasonForIncompletion?: string;
  readonly input: string;
  readonly output?: string;
}

/** `GET /api/workflow/search`. */
export interface SearchRequest {
  /** Clauses like `workflowType = x AND status IN (RUNNING,FAILED)`. */
  readonly query?: string;
  readonly freeText?: string;
  /** `field:ASC|DESC`, comma-separated. */
  readonly sort?: string;
  readonly start?: number;
  readonly size?: number;
}

export interface SearchResult {
  readonly totalHits: number;
  readonly results: readonly WorkflowSummary[];
}

/** `POST /api/workflow` (Conductor's StartWorkflowRequest). */
export interface StartRequest {
  readonly name: string;
  readonly version?: number;
  readonly input?: Record<string, unknown>;
  readonly correlationId?: string;
  readonly priority?: number;
  readonly idempotencyKey?: string;
  readonly idempotencyStrategy?: 'FAIL' | 'RETURN_EXISTING' | 'FAIL_ON_RUNNING';
}

/** One stored event of an execution (`GET /api/workflow/{id}/history`). Revisions and positions are decimal strings (64-bit). */
export interface HistoryEvent {
  readonly revision: string;
  readonly position: string;
  readonly id: string;
  readonly type: string;
  /** ISO 8601: when the store recorded it. */
  readonly created: string;
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly correlationId?: string; readonly causationId?: string; readonly actor?: string; readonly prevHash?: string; readonly hash?: string; readonly [key: string]: unknown };
}

/** `GET /api/workflow/{id}/state`: the execution as it was after `revision`. */
export interface StateAt {
  readonly revision: string | null;
  readonly recordedAt: string | null;
  readonly eventCount: number;
  readonly totalEvents: number;
  readonly workflow: Workflow;
}

/** `GET /api/workflow/{id}/verify`. */
export interface Verification {
  readonly executionId: string;
  readonly valid: boolean;
  readonly eventsChecked: number;
  readonly events: number;
  readonly lastHash: string;
  readonly firstInvalid?: { readonly revision: string; readonly reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'missing-hash' };
}

/** The statuses a task result may report. */
export type ResultStatus = 'COMPLETED' | 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR' | 'IN_PROGRESS';

/** `POST /api/tasks` (Conductor's TaskResult). */
export interface TaskResult {
  readonly workflowInstanceId: string;
  readonly taskId: string;
  readonly status: ResultStatus;
  readonly outputData?: Record<string, unknown>;
  readonly reasonForIncompletion?: string;
  readonly workerId?: string;
  readonly logs?: readonly string[];
}

/** One problem the orchestrator found in a request or definition. */
export interface ValidationProblem {
  readonly path: string;
  readonly message: string;
}
