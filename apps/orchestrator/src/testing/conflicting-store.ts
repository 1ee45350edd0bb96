import { StreamRevisionConflictError, type AppendResult, type EventData, type EventStore, type ExpectedRevision } from '@app/event-store';

/**
 * An event store whose next appends lose a revision race, as when another replica wrote first:
 * `conflicts` appends throw StreamRevisionConflictError before reaching the store underneath.
 */
export class ConflictingStore {
  /** How many of the next appends conflict (Infinity: every one). */
  conflicts = 0;
  /** Appends asked for, conflicting or not. */
  appendCalls = 0;
  readonly store: EventStore;

  constructor(inner: EventStore) {
    const appendToStream = (streamName: string, events: readonly EventData[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> => {
      this.appendCalls += 1;
      if (this.conflicts > 0) {
        this.conflicts -= 1;
        return Promise.reject(new StreamRevisionConflictError(streamName, options?.expectedRevision ?? 'any', undefined));
      }
      return inner.appendToStream(streamName, events, options);
    };
    this.store = new Proxy(inner, { get: (target, key, receiver) => (key === 'appendToStream' ? appendToStream : Reflect.get(target, key, receiver)) });
  }
}
