import {
  BACKWARDS, END, EventStoreDBClient, eventTypeFilter, FORWARDS, jsonEvent, START, streamNameFilter,
  type AllStreamResolvedEvent, type JSONType, type Position as EsdbPosition, type ResolvedEvent,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, StreamNotFoundError, StreamRevisionConflictError } from '../event-store.errors';
import type {
  AppendOutcome, AppendRequest, AppendResult, Direction, EventData, EventStore, ExpectedRevision, Position, ReadAllOptions, ReadStreamOptions, RecordedEvent,
  SubscribeToAllOptions, SubscribeToStreamOptions, Subscription,
} from '../event-store.port';
import { type ErrorContext, translateEsdbError } from './esdb.errors';
import { appendConcurrently } from './esdb-append-many';
import { allFilterPredicate, toRecordedEvent } from './esdb-event.mapper';
import { EsdbSubscription, type VendorSubscription } from './esdb-subscription';

export interface EsdbEventStoreOptions {
  /** `esdb://host:2113?tls=false` (or a cluster string). Required unless `client` is given. */
  readonly connectionString?: string;
  /** A client to use instead; the store owns it from then on (`close()` disposes it). */
  readonly client?: EventStoreDBClient;
  /**
   * Tries of an append (or read) whose outcome is unknown because EventStoreDB was unreachable.
   * Safe for appends: the same event ids at the same expected revision are an idempotent success.
   * Default 3.
   */
  readonly attempts?: number;
  /** Bound of {@link EsdbEventStore.ping}. Default 5000 ms. */
  readonly pingTimeoutMs?: number;
}

const DEFAULT_READ_ALL_COUNT = 4096;
/** Waits before the 2nd, 3rd… try: enough for the client to drop a dead channel and reconnect. */
const RETRY_DELAYS_MS = [50, 250, 1000];

const utf8 = new TextEncoder();
/**
 * Metadata as the UTF-8 JSON bytes EventStoreDB stores anyway: handed an object, the client would
 * base64-encode the JSON for its protobuf library to decode again, a cost on every append.
 */
const metadataBytes = (metadata: EventData['metadata']): Uint8Array | undefined => (metadata === undefined ? undefined : utf8.encode(JSON.stringify(metadata)));
const direction = (value: Direction | undefined) => (value === 'backwards' ? BACKWARDS : FORWARDS);
const samePosition = (a: Position, b: Position) => a.commit === b.commit && a.prepare === b.prepare;

/**
 * The production {@link EventStore}: EventStoreDB (or KurrentDB) through `@eventstore/db-client`, one
 * client (one gRPC channel) per store. Vendor errors are translated to the port's errors here.
 *
 * @example
 * const store = new EsdbEventStore({ connectionString: 'esdb://127.0.0.1:2113?tls=false' });
 * await store.appendToStream('execution-42', [{ id: randomUUID(), type: 'ExecutionStarted', data: {} }], { expectedRevision: 'no_stream' });
 * await store.close();
 */
export class EsdbEventStore implements EventStore {
  private closed = false;
  private readonly subscriptions = new Set<EsdbSubscription>();
  private readonly attempts: number;
  private readonly pingTimeoutMs: number;

  private readonly client: EventStoreDBClient;

  /** Connects lazily: no I/O until the first call. */
  constructor(options: EsdbEventStoreOptions) {
    if (!options.client && !options.connectionString) throw new Error('EsdbEventStore needs a connectionString or a client');
    this.client = options.client ?? EventStoreDBClient.connectionString(options.connectionString!);
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5000;
  }

  static fromConnectionString(connectionString: string, options: Omit<EsdbEventStoreOptions, 'connectionString' | 'client'> = {}): EsdbEventStore {
    return new EsdbEventStore({ ...options, connectionString });
  }

  async appendToStream(streamName: string, events: readonly EventData[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    this.assertOpen();
    const expectedRevision = options.expectedRevision ?? 'any';
    const proposed = events.map((event) =>
      jsonEvent({ id: event.id, type: event.type, data: (event.data ?? null) as JSONType, metadata: metadataBytes(event.metadata) }),
    );
    const context = { streamName, expected: expectedRevision };
    // The client keeps its default throwOnAppendFailure: its non-throwing BatchAppend path reports a wrong revision on conflict.
    const result = await this.retrying(context, () => this.client.appendToStream(streamName, proposed, { expectedRevision }));
    if (result.position) {
      return { nextExpectedRevision: result.nextExpectedRevision, position: { commit: result.position.commit, prepare: result.position.prepare } };
    }
    // An empty append reports no position: name the stream's last event, as the other adapters do.
    const [last] = await this.readStream(streamName, { direction: 'backwards', maxCount: 1 }).catch(() => []);
    return { nextExpectedRevision: last?.revision ?? result.nextExpectedRevision, position: last?.position ?? { commit: 0n, prepare: 0n } };
  }

  /**
   * Several appends sent together and answered together (see {@link appendConcurrently}); each keeps
   * {@link appendToStream}'s semantics and fails alone.
   */
  appendMany(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    this.assertOpen();
    return appendConcurrently(requests, (streamName, events, options) => this.appendToStream(streamName, events, options));
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const from = options.fromRevision ?? (options.direction === 'backwards' ? 'end' : 'start');
    return this.retrying({ streamName }, () =>
      this.collect(
        this.client.readStream(streamName, {
          direction: direction(options.direction),
          fromRevision: from === 'start' ? START : from === 'end' ? END : from,
          ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
        }),
      ),
    );
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const maxCount = options.maxCount ?? DEFAULT_READ_ALL_COUNT;
    const keep = allFilterPredicate(options.filter);
    const filtered = Boolean(options.filter?.streamNamePrefixes?.length || options.filter?.eventTypePrefixes?.length);
    const result: RecordedEvent[] = [];
    if (maxCount <= 0) return result;
    let from: Position | 'start' | 'end' = options.fromPosition ?? (backwards ? 'end' : 'start');
    if (backwards && typeof from === 'object') {
      // EventStoreDB reads backwards from *before* a position; the port's start is inclusive.
      const [atStart] = await this.readAllPage('forwards', from, 1);
      if (atStart && samePosition(atStart.position, from) && keep(atStart)) result.push(atStart);
    }
    // The client cannot filter reads of $all (only subscriptions), and $-typed events must go: page and filter here.
    let previousLast: Position | undefined;
    while (result.length < maxCount) {
      const pageSize = filtered ? 1024 : Math.min(maxCount - result.length + 32, DEFAULT_READ_ALL_COUNT);
      const page = await this.readAllPage(backwards ? 'backwards' : 'forwards', from, pageSize);
      for (const event of page) {
        // Forward reads include their start, which is the previous page's last event.
        if (previousLast && !backwards && samePosition(event.position, previousLast)) continue;
        if (keep(event)) result.push(event);
        if (result.length >= maxCount) break;
      }
      if (page.length < pageSize) break;
      previousLast = page.at(-1)!.position;
      from = previousLast;
    }
    return result;
  }

  subscribeToStream(streamName: string, options: SubscribeToStreamOptions = {}): Subscription {
    this.assertOpen();
    const from = options.fromRevision ?? 'start';
    return this.track(
      () => this.client.subscribeToStream(streamName, { fromRevision: from === 'start' ? START : from === 'end' ? END : from }) as unknown as VendorSubscription,
      () => true,
    );
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    this.assertOpen();
    const from = options.fromPosition ?? 'start';
    const fromPosition = from === 'start' ? START : from === 'end' ? END : from;
    const filter = options.filter;
    const checkpointInterval = filter?.checkpointIntervalMultiplier ?? 1;
    return this.track((onCheckpoint) => {
      const checkpointReached = (_subscription: unknown, position: EsdbPosition) => onCheckpoint(position);
      // The server filters on one criterion; a second (event type next to stream name) is applied here.
      const serverFilter = filter?.streamNamePrefixes?.length
        ? streamNameFilter({ prefixes: [...filter.streamNamePrefixes], checkpointInterval, checkpointReached })
        : filter?.eventTypePrefixes?.length
          ? eventTypeFilter({ prefixes: [...filter.eventTypePrefixes], checkpointInterval, checkpointReached })
          : undefined;
      return this.client.subscribeToAll({ fromPosition, ...(serverFilter ? { filter: serverFilter } : {}) }) as unknown as VendorSubscription;
    }, allFilterPredicate(filter));
  }

  async deleteStream(streamName: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    // The client's deleteStream cannot send stream_exists: resolve it to the current revision.
    const expectedRevision = expected === 'stream_exists' ? await this.currentRevision(streamName, expected) : expected;
    try {
      await this.client.deleteStream(streamName, { expectedRevision });
    } catch (error) {
      throw translateEsdbError(error, { streamName, expected });
    }
  }

  async tombstoneStream(streamName: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    const expectedRevision = expected === 'stream_exists' ? await this.currentRevision(streamName, expected) : expected;
    try {
      await this.client.tombstoneStream(streamName, { expectedRevision });
    } catch (error) {
      throw translateEsdbError(error, { streamName, expected });
    }
  }

  /** Reads the last event of `$all`: one round trip, bounded by `pingTimeoutMs`. */
  async ping(): Promise<void> {
    this.assertOpen();
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EventStoreUnavailableError(`EventStoreDB did not answer a ping within ${this.pingTimeoutMs} ms`)), this.pingTimeoutMs);
    });
    try {
      await Promise.race([this.collect(read), timeout]);
    } catch (error) {
      void read.cancel().catch(() => undefined);
      const translated = translateEsdbError(error);
      throw translated instanceof EventStoreUnavailableError ? translated : new EventStoreUnavailableError(`EventStoreDB ping failed: ${translated.message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    await this.client.dispose();
  }

  private track(open: ConstructorParameters<typeof EsdbSubscription>[0], keep: (event: RecordedEvent) => boolean): Subscription {
    const subscription = new EsdbSubscription(open, keep, (ended) => this.subscriptions.delete(ended));
    this.subscriptions.add(subscription);
    return subscription;
  }

  private async readAllPage(dir: Direction, from: Position | 'start' | 'end', maxCount: number): Promise<RecordedEvent[]> {
    const fromPosition = from === 'start' ? START : from === 'end' ? END : from;
    return this.retrying({}, () => this.collect(this.client.readAll({ direction: direction(dir), fromPosition, maxCount })));
  }

  private async collect(source: AsyncIterable<ResolvedEvent | AllStreamResolvedEvent>): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const resolved of source) if (resolved.event) events.push(toRecordedEvent(resolved.event));
    return events;
  }

  private async currentRevision(streamName: string, expected: ExpectedRevision): Promise<bigint> {
    try {
      const [last] = await this.readStream(streamName, { direction: 'backwards', maxCount: 1 });
      return last!.revision;
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new StreamRevisionConflictError(streamName, expected, 'no_stream', { cause: error });
      throw error;
    }
  }

  /** Runs `operation`, translating its failure; tries again, bounded, while EventStoreDB is unreachable. */
  private async retrying<T>(context: ErrorContext, operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        const translated = translateEsdbError(error, context);
        if (!(translated instanceof EventStoreUnavailableError) || attempt >= this.attempts || this.closed) throw translated;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1)]));
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('the EventStoreDB event store is closed');
  }
}
