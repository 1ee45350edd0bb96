import { isBatonError } from '@app/domain';
import { errorMessage, type TaskResultStatus } from '@app/messaging';
import { TerminalError } from './terminal.error';

/** Longest `reason` the result contract accepts. */
const MAX_REASON_LENGTH = 4_096;

/** The status and payload a handler's outcome turns into. */
export type TaskOutcome =
  | { readonly status: Extract<TaskResultStatus, 'COMPLETED'>; readonly output: Record<string, unknown> }
  | { readonly status: Extract<TaskResultStatus, 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR'>; readonly reason: string };

/**
 * A handler's return value as the task output: plain objects as they are, nothing as `{}`, and
 * anything else (numbers, arrays, class instances) wrapped as `{ result: value }`.
 */
export function completedOutcome(value: unknown): TaskOutcome {
  return { status: 'COMPLETED', output: value === undefined ? {} : isPlainObject(value) ? value : { result: value } };
}

/** A thrown error as a failure: terminal when it says retrying cannot help. */
export function failedOutcome(error: unknown): TaskOutcome {
  const terminal = error instanceof TerminalError || (isBatonError(error) && !error.retryable);
  return { status: terminal ? 'FAILED_WITH_TERMINAL_ERROR' : 'FAILED', reason: describe(error) };
}

function describe(error: unknown): string {
  const text = errorMessage(error) || (error instanceof Error ? error.name : 'task failed');
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 3)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
