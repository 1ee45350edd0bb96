/**
 * Base class of every error Baton raises on purpose.
 *
 * Errors carry a stable machine-readable `code` and say whether retrying the same operation
 * may succeed. Mapping to HTTP statuses or NATS ack/nak/dead-letter happens only at the edge
 * (an app's exception filter, the transport), never here.
 *
 * @example
 * throw new BatonError('EXECUTION_NOT_FOUND', 'execution 42 does not exist', { retryable: false });
 */
export class BatonError extends Error {
  /** Stable identifier of the failure, e.g. `STREAM_REVISION_CONFLICT`. */
  readonly code: string;
  /** True when the same operation may succeed if tried again later. */
  readonly retryable: boolean;
  /** Structured context for logs and API error bodies. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
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
