import { StreamNotFoundError, StreamRevisionConflictError } from './event-store.errors';
import type { AppendResult, EventData, EventStore, ExpectedRevision, RecordedEvent } from './event-store.port';
import { GENESIS_HASH, chainEvents } from './hash-chain';

/**
 * Appends events linked into the stream's hash chain, for streams whose writers do not keep
 * the chain's head in memory (definitions, catalogs, idempotency claims): reads the stream's
 * last event for its hash and revision, chains the events after it, and appends expecting
 * exactly that revision. `expectedRevision` is the caller's own condition, checked against
 * what was read; with `'any'` (the default) a concurrent writer only means reading again.
 *
 * @example
 * await appendChained(store, 'definition-orders', [{ id: randomUUID(), type: 'WorkflowDefinitionRegistered', data, metadata }]);
 */
export async function appendChained(
  store: EventStore,
  streamName: string,
  events: readonly Pick<EventData, 'id' | 'type' | 'data' | 'metadata'>[],
  options: { expectedRevision?: ExpectedRevision; attempts?: number } = {},
): Promise<AppendResult> {
  const expected = options.expectedRevision ?? 'any';
  const attempts = options.attempts ?? 10;
  for (let attempt = 1; ; attempt += 1) {
    const last = await lastEvent(store, streamName);
    const current = last ? last.revision : 'no_stream';
    const holds =
      expected === 'any' || (expected === 'no_stream' ? !last : expected === 'stream_exists' ? !!last : last?.revision === expected);
    if (!holds) throw new StreamRevisionConflictError(streamName, expected, current);
    const chained = chainEvents(streamName, last ? last.revision + 1n : 0n, (last?.metadata.hash as string | undefined) ?? GENESIS_HASH, events);
    try {
      return await store.appendToStream(streamName, chained, { expectedRevision: current });
    } catch (error) {
      // Someone appended between our read and our append: read the new head, unless the caller
      // pinned the revision (then the conflict is theirs to handle).
      if (!(error instanceof StreamRevisionConflictError) || expected !== 'any' || attempt >= attempts) throw error;
    }
  }
}

async function lastEvent(store: EventStore, streamName: string): Promise<RecordedEvent | undefined> {
  try {
    const [last] = await store.readStream(streamName, { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
    return last;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return undefined;
    throw error;
  }
}
