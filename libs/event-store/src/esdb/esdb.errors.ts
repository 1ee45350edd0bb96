import {
  CancelledError, DeadlineExceededError, NotLeaderError, StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError, TimeoutError, UnavailableError, UnknownError, WrongExpectedVersionError,
} from '@eventstore/db-client';
import { isBatonError } from '@app/domain';
import { EventStoreUnavailableError, StreamDeletedError, StreamNotFoundError, StreamRevisionConflictError } from '../event-store.errors';
import type { ExpectedRevision } from '../event-store.port';

/** gRPC codes that mean "the outcome is unknown, the server could not be reached or did not answer". */
const UNREACHABLE_GRPC_CODES = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);
const UNREACHABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** Connection deaths the client reports as UnknownError (gRPC INTERNAL). */
const CONNECTION_LOST = /RST_STREAM|GOAWAY|Connection dropped|write after end|ECONNRESET/i;

export interface ErrorContext {
  readonly streamName?: string;
  readonly expected?: ExpectedRevision;
}

/**
 * Maps an `@eventstore/db-client` (or raw gRPC) failure to the port's errors, so nothing vendor-specific
 * leaves the adapter.
 *
 * @example
 * try { await client.appendToStream(name, events, { expectedRevision }); }
 * catch (error) { throw translateEsdbError(error, { streamName: name, expected: expectedRevision }); }
 */
export function translateEsdbError(error: unknown, context: ErrorContext = {}): Error {
  if (isBatonError(error)) return error;
  if (error instanceof WrongExpectedVersionError) {
    return new StreamRevisionConflictError(context.streamName ?? error.streamName, context.expected ?? error.expectedVersion, error.actualVersion, { cause: error });
  }
  if (error instanceof EsdbStreamNotFoundError) return new StreamNotFoundError(context.streamName ?? error.streamName, { cause: error });
  if (error instanceof EsdbStreamDeletedError) return new StreamDeletedError(context.streamName ?? error.streamName ?? '', { cause: error });
  if (isUnreachable(error)) {
    return new EventStoreUnavailableError(`EventStoreDB is unreachable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

function isUnreachable(error: unknown): boolean {
  if (
    error instanceof UnavailableError || error instanceof DeadlineExceededError || error instanceof CancelledError ||
    error instanceof TimeoutError || error instanceof NotLeaderError
  ) {
    return true;
  }
  if (error instanceof UnknownError && CONNECTION_LOST.test(error.message)) return true;
  if (typeof error !== 'object' || error === null) return false;
  // Raw gRPC errors escape the client on some paths (e.g. its lazy server-features call).
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && 'details' in error) return UNREACHABLE_GRPC_CODES.has(code);
  return typeof code === 'string' && UNREACHABLE_SOCKET_CODES.has(code);
}
