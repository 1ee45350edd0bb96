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
 * recognisably transient: a system error of a connection or a busy resource, a database
 * connection lost or a transaction that lost a race. Anything else of
 * unknown kind is a fault that the same request would meet again, so callers answer it as not
 * retryable (HTTP 500 `retryable: false`) rather than inviting clients to hammer it.
 */
export function isTransientFault(error: unknown): boolean {
  if (isDeterministicFault(error)) return false;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // PostgreSQL SQLSTATEs: connection exceptions (08…), insufficient resources (53…), the server
  // shutting down (57P0…), serialization failures and deadlocks (40001, 40P01).
  return TRANSIENT_SYSTEM_CODES.has(code) || code.startsWith('SQLITE_BUSY') || /^(08|53|57P0)/.test(code) || code === '40001' || code === '40P01';
}
