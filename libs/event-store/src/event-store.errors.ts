import { BatonError } from '@app/domain';
import type { ExpectedRevision } from './event-store.port';

declare module '@app/domain' {
  interface BatonErrorCodes {
    STREAM_REVISION_CONFLICT: true;
    STREAM_NOT_FOUND: true;
    STREAM_DELETED: true;
    EVENT_STORE_UNAVAILABLE: true;
  }
}

/** The stream's current revision did not match the expected revision of an append or delete. */
export class StreamRevisionConflictError extends BatonError {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision; `'no_stream'` when it does not exist, undefined when unknown. */
    readonly actual: bigint | 'no_stream' | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(
      'STREAM_REVISION_CONFLICT',
      `stream ${streamName}: expected revision ${String(expected)}, actual ${actual === undefined ? 'unknown' : String(actual)}`,
      { retryable: true, details: { streamName, expected: String(expected), actual: actual === undefined ? null : String(actual) }, cause: options.cause },
    );
  }
}

/** A read of a stream that does not exist (or was soft-deleted). */
export class StreamNotFoundError extends BatonError {
  constructor(readonly streamName: string, options: { cause?: unknown } = {}) {
    super('STREAM_NOT_FOUND', `stream ${streamName} does not exist`, { retryable: false, details: { streamName }, cause: options.cause });
  }
}

/** The stream was tombstoned: it can never be read or written again. */
export class StreamDeletedError extends BatonError {
  constructor(readonly streamName: string, options: { cause?: unknown } = {}) {
    super('STREAM_DELETED', `stream ${streamName} is deleted permanently (tombstoned)`, { retryable: false, details: { streamName }, cause: options.cause });
  }
}

/** The store could not be reached or did not answer in time: the outcome of a write is unknown, retry it (appends are idempotent by event id). */
export class EventStoreUnavailableError extends BatonError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('EVENT_STORE_UNAVAILABLE', message, { retryable: true, cause: options.cause });
  }
}
