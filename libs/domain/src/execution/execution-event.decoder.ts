import { isExecutionEventType, type ExecutionEvent, type ExecutionEventType } from './execution-events';

/**
 * Version of the shapes of the events Baton writes, stored in every event's metadata
 * (`schemaVersion`). It goes up by one when an event's data changes shape in a way old readers
 * cannot take (a field renamed, removed, or given another meaning); adding an optional field
 * does not change it. An event without it was written before versioning: version 1.
 */
export const EVENT_SCHEMA_VERSION = 1;

/** A stored event as the decoder needs it; the event store's `RecordedEvent` is one. */
export interface StoredEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: { readonly [key: string]: unknown };
}

/** Rewrites the data of one event type from one schema version to the next. Pure. */
export type Upcaster = (data: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;

/**
 * The upcasters, by event type and by the version they upcast from (`{ TaskFailed: { 1: v1ToV2 } }`
 * turns a version-1 TaskFailed into version 2). A type with no step for a version is unchanged by it.
 */
export type UpcasterTable = Partial<Record<ExecutionEventType, Readonly<Record<number, Upcaster>>>>;

/** Every upcaster Baton has: none yet, every stored event is version 1. */
export const EXECUTION_EVENT_UPCASTERS: UpcasterTable = {};

/** The schema version an event was written with (1 when its metadata says nothing). */
export function schemaVersionOf(stored: StoredEvent): number {
  const version = stored.metadata?.['schemaVersion'];
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : 1;
}

/**
 * A stored event as a domain event, upcast to the current schema version: every step from the
 * version it was written with up to {@link EVENT_SCHEMA_VERSION} is applied in turn, so a
 * history stays readable forever. Types this version does not know are skipped (`undefined`), so
 * old code reads newer histories; an event of a newer schema version than this code knows is read
 * as it is.
 */
export function toExecutionEvent(stored: StoredEvent, upcasters: UpcasterTable = EXECUTION_EVENT_UPCASTERS, currentVersion = EVENT_SCHEMA_VERSION): ExecutionEvent | undefined {
  if (!isExecutionEventType(stored.type)) return undefined;
  let data = stored.data as Readonly<Record<string, unknown>>;
  const steps = upcasters[stored.type];
  if (steps) for (let version = schemaVersionOf(stored); version < currentVersion; version += 1) data = steps[version]?.(data) ?? data;
  return { type: stored.type, data } as ExecutionEvent;
}

/** The domain events of a stored history, in order (unknown types skipped, old shapes upcast). */
export function toExecutionEvents(stored: readonly StoredEvent[], upcasters: UpcasterTable = EXECUTION_EVENT_UPCASTERS): ExecutionEvent[] {
  const events: ExecutionEvent[] = [];
  for (const event of stored) {
    const decoded = toExecutionEvent(event, upcasters);
    if (decoded) events.push(decoded);
  }
  return events;
}
