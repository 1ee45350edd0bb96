import type { AppendOutcome, AppendRequest, AppendResult, ExpectedRevision } from '../event-store.port';

/** One append of the adapter: `appendToStream` with its retries and error translation. */
export type AppendOne = (streamName: string, events: AppendRequest['events'], options: { expectedRevision?: ExpectedRevision }) => Promise<AppendResult>;

/**
 * Group commit on EventStoreDB, which has no multi-stream transaction: every append of the group
 * is sent at once (over BatchAppend they pipeline on one gRPC stream), appends to the same stream
 * one after the other in request order, as the port requires. The group is answered together, so
 * the caller handles all of it in one turn of the event loop (its publishes leave in one NATS
 * flush) instead of one response at a time.
 */
export async function appendConcurrently(requests: readonly AppendRequest[], appendOne: AppendOne): Promise<AppendOutcome[]> {
  const previousOfStream = new Map<string, Promise<unknown>>();
  const outcomes = requests.map((request) => {
    const previous = previousOfStream.get(request.streamName);
    const run = () => appendOne(request.streamName, request.events, { expectedRevision: request.expectedRevision ?? 'any' });
    const outcome: Promise<AppendOutcome> = (previous ? previous.then(run) : run()).then(
      (result) => ({ ok: true, result }),
      (error: unknown) => ({ ok: false, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    previousOfStream.set(request.streamName, outcome);
    return outcome;
  });
  return Promise.all(outcomes);
}
