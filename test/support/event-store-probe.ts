import path from 'node:path';
import { SqliteEventStore, type EventStore } from '@app/event-store';

/**
 * Opens the SQLite event store an orchestrator process writes (`<dataDir>/baton.db`; the adapter
 * supports a second process on the same file), for assertions the HTTP API cannot make yet.
 */
export function openEventStore(dataDir: string): EventStore {
  return new SqliteEventStore({ path: path.join(dataDir, 'baton.db') });
}

/** Ids of the executions started with this idempotency key (from their `ExecutionStarted` events), oldest first. */
export async function executionIdsWithKey(store: EventStore, idempotencyKey: string): Promise<string[]> {
  // A suite's store is small: one read of $all is enough.
  const events = await store.readAll({ maxCount: 1_000_000, filter: { streamNamePrefixes: ['execution-'], eventTypePrefixes: ['ExecutionStarted'] } });
  return events
    .map((event) => event.data as { executionId: string; idempotencyKey?: string })
    .filter((data) => data.idempotencyKey === idempotencyKey)
    .map((data) => data.executionId);
}
