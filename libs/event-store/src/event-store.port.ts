/**
 * The event-store port. Its semantics follow EventStoreDB exactly (docs/event-store.md §4) so
 * that every adapter — embedded SQLite, in-memory, EventStoreDB —
 * behaves the same and one contract suite proves it.
 *
 * Revisions and positions are `bigint` end to end. Positions are opaque: compare them, never do
 * arithmetic on them.
 */

/** DI token of the {@link EventStore} port. */
export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * What an append expects of the stream's current state.
 * - `'any'`: no check.
 * - `'no_stream'`: the stream must not exist (or must be soft-deleted with no events after).
 * - `'stream_exists'`: the stream must exist.
 * - a bigint: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** A position in `$all`. For every adapter `commit === prepare`; both are opaque. */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** Metadata Baton writes on every event. Adapters store it as JSON and return it unchanged. */
export interface EventMetadata {
  /** The business correlation (e.g. the execution's correlationId, or the execution id). */
  readonly correlationId?: string;
  /** Id of the message, request or event that caused this event. */
  readonly causationId?: string;
  /** Who caused it: `api:<client>`, `worker:<id>`, `orchestrator`, `timer`… */
  readonly actor?: string;
  /** Hash of the previous event of the same stream (hash chain); 64 zeros for the first. */
  readonly prevHash?: string;
  /** SHA-256 over this event's content and `prevHash`. */
  readonly hash?: string;
  /** Version of the shape of `data` (docs/event-store.md, "Event schema versions"); absent means 1. */
  readonly schemaVersion?: number;
  readonly [key: string]: unknown;
}

/** An event to append. `id` must be a UUID; appending the same ids again is idempotent. */
export interface EventData<TData = unknown> {
  readonly id: string;
  readonly type: string;
  readonly data: TData;
  readonly metadata?: EventMetadata;
}

/** An event as stored. */
export interface RecordedEvent<TData = unknown> {
  readonly streamName: string;
  readonly id: string;
  readonly type: string;
  /** Zero-based revision of the event in its stream. */
  readonly revision: bigint;
  /** Position of the event in `$all`. */
  readonly position: Position;
  readonly data: TData;
  readonly metadata: EventMetadata;
  /** When the store recorded it. */
  readonly created: Date;
}

/** Result of an append: the revision of the last event written and its `$all` position. */
export interface AppendResult {
  readonly nextExpectedRevision: bigint;
  readonly position: Position;
}

/** One append of {@link EventStore.appendMany}. */
export interface AppendRequest {
  readonly streamName: string;
  readonly events: readonly EventData[];
  /** Default `'any'`. */
  readonly expectedRevision?: ExpectedRevision;
}

/** The outcome of one append of {@link EventStore.appendMany}: its result, or the error it alone failed with. */
export type AppendOutcome = { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: Error };

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Default `'forwards'`. */
  readonly direction?: Direction;
  /** Inclusive start. Default `'start'` forwards, `'end'` backwards. */
  readonly fromRevision?: bigint | 'start' | 'end';
  /** Default: unbounded. */
  readonly maxCount?: number;
}

/** Filter of `$all` reads and subscriptions. System events (type starting with `$`) are always skipped. */
export interface AllFilter {
  /** Keep events whose stream name starts with one of these. */
  readonly streamNamePrefixes?: readonly string[];
  /** Keep events whose type starts with one of these. */
  readonly eventTypePrefixes?: readonly string[];
}

export interface ReadAllOptions {
  /** Default `'forwards'`. */
  readonly direction?: Direction;
  /** Inclusive start. Default `'start'` forwards, `'end'` backwards. */
  readonly fromPosition?: Position | 'start' | 'end';
  /** Default 4096. */
  readonly maxCount?: number;
  readonly filter?: AllFilter;
}

export interface SubscribeToStreamOptions {
  /** Exclusive start: events after this revision. Default `'start'` (all events). */
  readonly fromRevision?: bigint | 'start' | 'end';
}

export interface SubscribeToAllOptions {
  /** Exclusive start: events after this position. Default `'start'`. */
  readonly fromPosition?: Position | 'start' | 'end';
  readonly filter?: AllFilter & {
    /** A checkpoint is sent every `checkpointIntervalMultiplier × 32` events considered. Default 1. */
    readonly checkpointIntervalMultiplier?: number;
  };
}

/**
 * What a subscription yields, in order: catch-up events, one `caught-up`, then live events.
 * Filtered `$all` subscriptions also yield `checkpoint`s (store them to resume later).
 */
export type SubscriptionMessage =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  | { readonly kind: 'caught-up' }
  | { readonly kind: 'checkpoint'; readonly position: Position };

/**
 * A catch-up subscription. Iterate it with `for await`; the store pauses delivery while the
 * consumer is busy (back-pressure). Iteration throws if the subscription fails (e.g. the store
 * became unreachable): resubscribe from your last checkpoint.
 */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  /** Stop delivery; a pending iteration ends normally. */
  unsubscribe(): Promise<void>;
}

/**
 * Append-only event store with EventStoreDB semantics.
 *
 * @example
 * const result = await store.appendToStream('execution-42', [
 *   { id: randomUUID(), type: 'ExecutionStarted', data: { … }, metadata: { correlationId: 'o-1' } },
 * ], { expectedRevision: 'no_stream' });
 * const events = await store.readStream('execution-42');
 */
export interface EventStore {
  /**
   * Append events atomically. Throws {@link StreamRevisionConflictError} when `expectedRevision`
   * does not hold, unless the same event ids were already appended at that point (idempotent
   * success, returning the original result). Throws {@link StreamDeletedError} for tombstoned streams.
   */
  appendToStream(streamName: string, events: readonly EventData[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;

  /**
   * Optional group commit: several appends (to one stream or many) sharing one commit. Each keeps
   * {@link appendToStream}'s semantics exactly and fails alone. Adapters that cannot do better than
   * separate appends leave it out; callers then append one by one.
   */
  appendMany?(requests: readonly AppendRequest[]): Promise<AppendOutcome[]>;

  /**
   * True when {@link appendMany} commits its requests in request order, so `$all` follows it (one
   * SQLite transaction). Unset for adapters that send them concurrently (EventStoreDB): callers
   * that need the global order then append one request at a time.
   */
  readonly appendManyKeepsOrder?: boolean;

  /** Read a stream. Throws {@link StreamNotFoundError} when it does not exist or was soft-deleted. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Read `$all` (user events only), optionally filtered. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /** Catch-up subscription to one stream. */
  subscribeToStream(streamName: string, options?: SubscribeToStreamOptions): Subscription;

  /** Catch-up subscription to `$all`, optionally filtered, with checkpoints when filtered. */
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;

  /** Soft delete: reads then fail with not-found; a later append continues the revision numbers. */
  deleteStream(streamName: string, options?: { expectedRevision?: ExpectedRevision }): Promise<void>;

  /** Permanent delete: reads and appends fail with {@link StreamDeletedError} forever. */
  tombstoneStream(streamName: string, options?: { expectedRevision?: ExpectedRevision }): Promise<void>;

  /** Cheap liveness probe for health checks; throws {@link EventStoreUnavailableError} when down. */
  ping(): Promise<void>;

  /** Release connections and files. */
  close(): Promise<void>;
}
