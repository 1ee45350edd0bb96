/**
 * The NATS wire contract (docs/wire-contract.md). Changing a name here changes the contract:
 * update the docs in the same commit.
 */
export const TASKS_STREAM = 'BATON_TASKS';
export const RESULTS_STREAM = 'BATON_RESULTS';
export const DLQ_STREAM = 'BATON_DLQ';
export const NOTIFICATIONS_STREAM = 'BATON_EXECUTIONS';

export const TASK_SUBJECT_PREFIX = 'baton.task.';
export const RESULT_SUBJECT_PREFIX = 'baton.result.';
export const DLQ_SUBJECT_PREFIX = 'baton.dlq.';
export const EXECUTION_SUBJECT_PREFIX = 'baton.execution.';

/** Task types are Conductor task-definition names; NATS tokens cannot hold `.`, `*`, `>` or spaces. */
export const TASK_TYPE_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** `baton.task.<taskType>`: commands for workers of that type. */
export const taskSubject = (taskType: string): string => `${TASK_SUBJECT_PREFIX}${taskType}`;
/** `baton.result.<taskType>`: results and heartbeats from workers. */
export const resultSubject = (taskType: string): string => `${RESULT_SUBJECT_PREFIX}${taskType}`;
/** The `<taskType>` of a `baton.result.<taskType>` subject; undefined for any other subject. */
export const taskTypeOfResultSubject = (subject: string): string | undefined =>
  subject.startsWith(RESULT_SUBJECT_PREFIX) && subject.length > RESULT_SUBJECT_PREFIX.length ? subject.slice(RESULT_SUBJECT_PREFIX.length) : undefined;
/** `baton.dlq.<original subject>`: messages that could not be processed, with the reason in headers. */
export const dlqSubject = (originSubject: string): string => `${DLQ_SUBJECT_PREFIX}${originSubject}`;
/** `baton.execution.<status>`: lifecycle notification when an execution ends (COMPLETED, FAILED, TERMINATED, TIMED_OUT). */
export const executionSubject = (status: string): string => `${EXECUTION_SUBJECT_PREFIX}${status}`;

/** Durable consumer the workers of a task type share. */
export const workerDurable = (taskType: string): string => `baton-worker-${taskType}`;
/** Durable consumer the orchestrator replicas share for results. */
export const ORCHESTRATOR_RESULTS_DURABLE = 'baton-orchestrator-results';

/** NATS headers Baton reads and writes. */
export const Headers = {
  /** JetStream dedupe id. */
  MsgId: 'Nats-Msg-Id',
  /** W3C trace context. */
  TraceParent: 'traceparent',
  DlqReason: 'Baton-Dlq-Reason',
  DlqCode: 'Baton-Dlq-Code',
  DlqOriginSubject: 'Baton-Dlq-Origin-Subject',
  DlqOriginStream: 'Baton-Dlq-Origin-Stream',
  DlqOriginSequence: 'Baton-Dlq-Origin-Sequence',
  DlqDeliveries: 'Baton-Dlq-Deliveries',
  /** `Nats-Msg-Id` of the original message, when it had one (the DLQ copy gets its own id). */
  DlqOriginMsgId: 'Baton-Dlq-Origin-Msg-Id',
  /** Durable consumer that gave up on the message. */
  DlqConsumer: 'Baton-Dlq-Consumer',
} as const;

/**
 * Values of the `Baton-Dlq-Code` header for failures found by the transport itself. A handler's
 * non-retryable error is dead-lettered with its own `code` instead (e.g. `EXECUTION_NOT_FOUND`).
 */
export const DlqCodes = {
  /** The body is not UTF-8 JSON. */
  DecodeFailed: 'DECODE_FAILED',
  /** The body is JSON but fails the message DTO's class-validator rules. */
  ValidationFailed: 'VALIDATION_FAILED',
  /** The body is larger than the consumer accepts; checked before parsing. */
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** Every delivery attempt failed with a retryable error, or the consumer crashed on it. */
  MaxDeliveriesExceeded: 'MAX_DELIVERIES_EXCEEDED',
  /** A handler failed with a non-retryable error that carries no code of its own. */
  NonRetryable: 'NON_RETRYABLE_ERROR',
} as const;
export type DlqCode = (typeof DlqCodes)[keyof typeof DlqCodes];
