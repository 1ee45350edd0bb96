import type { ErrorCode } from '@app/domain';

/**
 * How an error answers over HTTP: a client error with this status, or `'fault'`, a server fault
 * (503 when the error says retrying may help, else 500; logged).
 */
export type HttpAnswer = 400 | 401 | 403 | 404 | 409 | 503 | 'fault';

/** An answer for every error code: the compiler rejects the map while a code has none. */
export type HttpAnswerMap = { readonly [Code in ErrorCode]: HttpAnswer };

/**
 * The HTTP answer of each of Baton's error codes. A new code (`BatonErrorCodes`, augmented next
 * to its error) does not compile until it is given its answer here, so a client mistake cannot
 * silently become a 500.
 */
export const HTTP_ANSWER_BY_CODE: HttpAnswerMap = {
  // requests that cannot be valid
  VALIDATION_FAILED: 400,
  INVALID_SEARCH: 400,
  INVALID_DEFINITION: 400,
  EXPRESSION_ERROR: 400,
  // who is calling, and may they
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  // unknown ids
  EXECUTION_NOT_FOUND: 404,
  WORKFLOW_DEFINITION_NOT_FOUND: 404,
  TASK_DEFINITION_NOT_FOUND: 404,
  EVENT_HANDLER_NOT_FOUND: 404,
  UNKNOWN_TASK: 404,
  UNKNOWN_EXECUTION: 404,
  NOT_FOUND: 404,
  NOT_SERVED: 404,
  // conflicts with the current state (the decider's reasons included)
  DEFINITION_EXISTS: 409,
  EVENT_HANDLER_EXISTS: 409,
  IDEMPOTENCY_CONFLICT: 409,
  ALREADY_STARTED: 409,
  EXECUTION_ENDED: 409,
  TASK_NOT_PENDING: 409,
  DUPLICATE_RESULT: 409,
  TASK_NOT_EXTERNAL: 409,
  ATTEMPT_MISMATCH: 409,
  TASK_TYPE_MISMATCH: 409,
  TIMER_NOT_ARMED: 409,
  INVALID_EXECUTION_STATE: 409,
  STREAM_REVISION_CONFLICT: 409,
  // a dependency away
  EVENT_STORE_UNAVAILABLE: 503,
  AUTH_PROVIDER_UNAVAILABLE: 503,
  // faults: no request of a client leads to these
  STREAM_NOT_FOUND: 'fault',
  STREAM_DELETED: 'fault',
  PROJECTION_WAIT_TIMEOUT: 'fault',
  PROJECTION_STOPPED: 'fault',
  PROJECTION_CHECKPOINT_CONFLICT: 'fault',
  TASK_QUEUE_UNAVAILABLE: 'fault',
  EVENT_ACTION_UNRESOLVED: 'fault',
  EVENT_ACTION_FAILED: 'fault',
  PUBLISH_TIMEOUT: 'fault',
  PUBLISH_NO_RESPONDERS: 'fault',
  PUBLISH_DISCONNECTED: 'fault',
  PUBLISH_REJECTED: 'fault',
  PUBLISH_TOO_LARGE: 'fault',
  PUBLISH_ENCODE_FAILED: 'fault',
  NATS_CONNECTION_CLOSED: 'fault',
  PUBLISHER_CLOSED: 'fault',
  STREAM_CONFIG_CONFLICT: 'fault',
  CONSUMER_CONFIG_CONFLICT: 'fault',
  JETSTREAM_SETUP_FAILED: 'fault',
  RETRY_LATER: 'fault',
  INVALID_NATS_CONFIG: 'fault',
  TASK_TERMINAL_ERROR: 'fault',
  INVALID_TASK_TYPE: 'fault',
  WORKER_ALREADY_STARTED: 'fault',
  BATON_TASK_NOT_SINGLETON: 'fault',
  DUPLICATE_BATON_TASK: 'fault',
};

/** The HTTP status of an error with a code; a code outside the registry (a service's own) is a fault. */
export function httpStatusOf(error: { readonly code: string; readonly retryable: boolean }): number {
  const answer = Object.prototype.hasOwnProperty.call(HTTP_ANSWER_BY_CODE, error.code) ? HTTP_ANSWER_BY_CODE[error.code as ErrorCode] : 'fault';
  if (answer !== 'fault') return answer;
  return error.retryable ? 503 : 500;
}
