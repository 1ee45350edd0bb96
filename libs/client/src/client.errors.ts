import type { ValidationProblem } from './client.types';

/** The orchestrator answered with an error (its JSON error body: status, stable code, message, problems). */
export class BatonApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly validationErrors: readonly ValidationProblem[] = [],
    readonly retryable = false,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'BatonApiError';
  }
}

/** No answer: the orchestrator could not be reached, or did not answer in time. */
export class BatonUnreachableError extends Error {
  constructor(readonly url: string, cause: unknown) {
    super(`cannot reach the orchestrator at ${url}: ${describe(cause)}`, { cause });
    this.name = 'BatonUnreachableError';
  }
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = (cause as { cause?: unknown }).cause;
  if (cause.name === 'TimeoutError') return 'no answer in time';
  return inner instanceof Error ? `${inner.message}` : cause.message;
}
