import { BatonError } from '@app/domain';

declare module '@app/domain' {
  interface BatonErrorCodes {
    TASK_TERMINAL_ERROR: true;
    INVALID_TASK_TYPE: true;
    WORKER_ALREADY_STARTED: true;
    TASK_TYPE_MISMATCH: true;
    BATON_TASK_NOT_SINGLETON: true;
    DUPLICATE_BATON_TASK: true;
  }
}

/**
 * Thrown by a task handler when retrying cannot help (bad input, a business rule says no): the
 * task is reported `FAILED_WITH_TERMINAL_ERROR` and the orchestrator does not retry it. Any other
 * error reports `FAILED`, which the orchestrator retries per the task definition.
 *
 * @example
 * if (!card.valid) throw new TerminalError(`card ${card.last4} is expired`);
 */
export class TerminalError extends BatonError<string> {
  constructor(message: string, options: { code?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(options.code ?? 'TASK_TERMINAL_ERROR', message, { retryable: false, details: options.details, cause: options.cause });
  }
}
