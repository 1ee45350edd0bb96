import type { IgnoredCode } from '../execution/decision';

/**
 * The registry of Baton's error codes: one key per code (the value is unused). The domain's own
 * codes are declared here; every library and app declares the codes of its errors next to them
 * by augmenting this interface:
 *
 * ```ts
 * declare module '@app/domain' {
 *   interface BatonErrorCodes { STREAM_NOT_FOUND: true }
 * }
 * ```
 *
 * So {@link ErrorCode} is the complete set: a {@link BatonError} cannot be raised with a code
 * outside it, and an edge that maps codes (the HTTP API's statuses) is checked to cover them all.
 */
export interface BatonErrorCodes extends Record<IgnoredCode, true> {
  EXPRESSION_ERROR: true;
}

/** Every error code Baton raises. */
export type ErrorCode = keyof BatonErrorCodes;

/**
 * Base class of every error Baton raises on purpose. Its code must be one of {@link ErrorCode}.
 * A service built on Baton's libraries may raise errors with codes of its own (a message or task
 * handler's business codes) by saying so: `new BatonError<string>('PAYMENT_NOT_FOUND', …)`.
 *
 * Errors carry a stable machine-readable `code` and say whether retrying the same operation
 * may succeed. Mapping to HTTP statuses or NATS ack/nak/dead-letter happens only at the edge
 * (an app's exception filter, the transport), never here.
 *
 * @example
 * throw new BatonError('EXECUTION_NOT_FOUND', 'execution 42 does not exist', { retryable: false });
 */
export class BatonError<Code extends string = ErrorCode> extends Error {
  /** Stable identifier of the failure, e.g. `STREAM_REVISION_CONFLICT`. */
  readonly code: Code;
  /** True when the same operation may succeed if tried again later. */
  readonly retryable: boolean;
  /** Structured context for logs and API error bodies. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: NoInfer<Code>,
    message: string,
    options: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}

/** Type guard that also recognises Baton errors that crossed a module boundary. */
export function isBatonError(error: unknown): error is BatonError {
  return (
    error instanceof BatonError ||
    (typeof error === 'object' &&
      error !== null &&
      typeof (error as { code?: unknown }).code === 'string' &&
      typeof (error as { retryable?: unknown }).retryable === 'boolean')
  );
}
