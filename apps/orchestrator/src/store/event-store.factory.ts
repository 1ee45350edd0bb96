import { openEventStore, type EventStore } from '@app/event-store';

/**
 * The event store named by `BATON_EVENT_STORE`: `sqlite:<file>` (embedded default) or an
 * EventStoreDB connection string (`esdb://host:2113?tls=false`, or a cluster string).
 */
export function createEventStore(url: string): EventStore {
  return openEventStore(url);
}
