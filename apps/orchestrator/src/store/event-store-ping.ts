import { EventStoreUnavailableError, type EventStore } from '@app/event-store';
import { withTimeout } from '../health/with-timeout';

/** How long a ping may take before the store counts as unreachable: readiness must answer fast. */
export const EVENT_STORE_PING_TIMEOUT_MS = 2_000;

/**
 * Pings the store, bounded: a store that does not answer within `timeoutMs` (a partition, a
 * half-open connection) is as unavailable as one that refuses connections.
 */
export function pingEventStore(store: EventStore, timeoutMs = EVENT_STORE_PING_TIMEOUT_MS): Promise<void> {
  return withTimeout(store.ping(), timeoutMs, () => new EventStoreUnavailableError(`the event store did not answer a ping within ${timeoutMs} ms`));
}
