import type { AllFilter } from '../event-store.port';

/** Decides from an event's stream name and type whether a `$all` reader keeps it. */
export type EventPredicate = (streamName: string, type: string) => boolean;

/** System events (`$metadata`, `$streamDeleted`, links…) live in `$all` but are never handed out. */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

/**
 * Compiles a `$all` filter. Both prefix lists must match when both are given; an absent or
 * empty list accepts everything. System events are always dropped.
 */
export function compileAllFilter(filter: AllFilter | undefined): EventPredicate {
  const streams = filter?.streamNamePrefixes?.length ? [...filter.streamNamePrefixes] : undefined;
  const types = filter?.eventTypePrefixes?.length ? [...filter.eventTypePrefixes] : undefined;
  return (streamName, type) =>
    !isSystemEventType(type) &&
    (streams === undefined || streams.some((prefix) => streamName.startsWith(prefix))) &&
    (types === undefined || types.some((prefix) => type.startsWith(prefix)));
}
