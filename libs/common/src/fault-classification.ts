/**
 * Errors that say nothing about a dependency and everything about the input: the same input
 * fails the same way on every try (a stack overflow or invalid length, `Maximum call stack size
 * exceeded`, `Invalid string length`; text that is not JSON). Never worth a retry or a redelivery.
 */
export function isDeterministicFault(error: unknown): boolean {
  return error instanceof RangeError || error instanceof SyntaxError;
}

/** Node's system error codes of a connection or resource that may well work on the next try. */
const TRANSIENT_SYSTEM_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

/**
 * True for an error that is not one of Baton's own (those say `retryable` themselves) when it is
 * recognisably transient: a system error of a connection or a busy resource. Anything else of
 * unknown kind is a fault that the same request would meet again, so callers answer it as not
 * retryable (HTTP 500 `retryable: false`) rather than inviting clients to hammer it.
 */
export function isTransientFault(error: unknown): boolean {
  if (isDeterministicFault(error)) return false;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_SYSTEM_CODES.has(code);
}
