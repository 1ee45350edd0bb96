import { StreamDeletedError, StreamNotFoundError, StreamRevisionConflictError } from '../event-store.errors';
import type { ExpectedRevision } from '../event-store.port';

/** Whether a stream can be read and written. */
export type StreamStatus = 'live' | 'soft-deleted' | 'tombstoned';

/** What an adapter knows about one stream, read inside its write transaction. */
export interface StreamState {
  /** Revision of the stream's last event, hidden or not; `-1n` when it never had one. */
  readonly lastRevision: bigint;
  /** Reads hide revisions below this: a soft delete moves it past the last event. */
  readonly truncateBefore: bigint;
  readonly status: StreamStatus;
}

/** The state of a stream that was never written. */
export const NEW_STREAM: StreamState = { lastRevision: -1n, truncateBefore: 0n, status: 'live' };

/** Revision of the event with this id in the stream (hidden events included), if any. */
export type RevisionOfId = (eventId: string) => bigint | undefined;

/** How an adapter must carry out an append that passed its checks. */
export type AppendDecision =
  | { readonly kind: 'write'; readonly firstRevision: bigint }
  | { readonly kind: 'idempotent'; readonly lastRevision: bigint };

export function conflict(streamName: string, expected: ExpectedRevision, state: StreamState): StreamRevisionConflictError {
  return new StreamRevisionConflictError(streamName, expected, state.lastRevision < 0n ? 'no_stream' : state.lastRevision);
}

/**
 * Decides an append the way EventStoreDB's index writer does, so every local adapter agrees:
 * - tombstoned → {@link StreamDeletedError}; `stream_exists` on a soft-deleted stream too;
 * - `any`/`stream_exists`: idempotent when every id is already in the stream (the result is
 *   the last id's revision), a write when none is, a conflict when only some are;
 * - a number (`no_stream` = -1): equal to the last revision → write; greater → conflict; lower →
 *   idempotent when the ids are exactly the events from `expected + 1`, else a conflict, except
 *   that `no_stream` recreates a soft-deleted stream.
 * A write to a soft-deleted stream continues its revision numbers and undeletes it.
 */
export function decideAppend(
  streamName: string,
  state: StreamState,
  expected: ExpectedRevision,
  ids: readonly string[],
  revisionOf: RevisionOfId,
): AppendDecision {
  if (state.status === 'tombstoned') throw new StreamDeletedError(streamName);
  const write: AppendDecision = { kind: 'write', firstRevision: state.lastRevision + 1n };
  if (expected === 'any' || expected === 'stream_exists') {
    if (expected === 'stream_exists') {
      if (state.status === 'soft-deleted') throw new StreamDeletedError(streamName);
      if (state.lastRevision < 0n) throw conflict(streamName, expected, state);
    }
    let found = 0;
    let last = -1n;
    for (const id of ids) {
      const revision = revisionOf(id);
      if (revision === undefined) continue;
      found += 1;
      last = revision;
    }
    if (found === 0) return write;
    if (found === ids.length) return { kind: 'idempotent', lastRevision: last };
    throw conflict(streamName, expected, state);
  }
  const revision = expected === 'no_stream' ? -1n : expected;
  if (revision === state.lastRevision) return write;
  if (revision > state.lastRevision || ids.length === 0) throw conflict(streamName, expected, state);
  for (let i = 0; i < ids.length; i += 1) {
    if (revisionOf(ids[i]!) === revision + 1n + BigInt(i)) continue;
    if (i === 0 && expected === 'no_stream' && state.status === 'soft-deleted') return write;
    throw conflict(streamName, expected, state);
  }
  return { kind: 'idempotent', lastRevision: revision + BigInt(ids.length) };
}

/** Checks the expected revision of a delete or tombstone (an append of nothing, as EventStoreDB does). */
export function checkDelete(streamName: string, state: StreamState, expected: ExpectedRevision): void {
  decideAppend(streamName, state, expected, [], () => undefined);
}

/**
 * An event id may appear once per stream (the local stores index it for idempotency): a write
 * that repeats one is a conflict. Adapters without a unique index call this before writing.
 */
export function assertIdsNew(streamName: string, expected: ExpectedRevision, state: StreamState, ids: readonly string[], revisionOf: RevisionOfId): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id) || revisionOf(id) !== undefined) throw conflict(streamName, expected, state);
    seen.add(id);
  }
}

/** Reads of a tombstoned stream fail with deleted; of a missing or soft-deleted one with not found. */
export function assertReadable(streamName: string, state: StreamState | undefined): asserts state is StreamState {
  if (state?.status === 'tombstoned') throw new StreamDeletedError(streamName);
  if (state === undefined || state.status === 'soft-deleted' || state.lastRevision < state.truncateBefore) {
    throw new StreamNotFoundError(streamName);
  }
}
