import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { AllFilter, EventMetadata, RecordedEvent } from '../event-store.port';

const NO_POSITION = { commit: 0n, prepare: 0n } as const;

/** The port's view of an event the client read. */
export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  const metadata = event.metadata;
  return {
    streamName: event.streamId,
    id: event.id,
    type: event.type,
    revision: event.revision,
    position: event.position ? { commit: event.position.commit, prepare: event.position.prepare } : NO_POSITION,
    data: event.data,
    // Baton writes JSON objects; anything else (none, binary) reads as "no metadata".
    metadata: typeof metadata === 'object' && metadata !== null && !(metadata instanceof Uint8Array) && !Array.isArray(metadata) ? (metadata as EventMetadata) : {},
    created: event.created,
  };
}

/** What `$all` readers keep: never `$`-typed system events, and only what the filter asks for. */
export function allFilterPredicate(filter: AllFilter | undefined): (event: RecordedEvent) => boolean {
  const streamPrefixes = filter?.streamNamePrefixes?.length ? filter.streamNamePrefixes : undefined;
  const typePrefixes = filter?.eventTypePrefixes?.length ? filter.eventTypePrefixes : undefined;
  return (event) =>
    !event.type.startsWith('$') &&
    (!streamPrefixes || streamPrefixes.some((prefix) => event.streamName.startsWith(prefix))) &&
    (!typePrefixes || typePrefixes.some((prefix) => event.type.startsWith(prefix)));
}
