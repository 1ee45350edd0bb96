import { EventStoreUnavailableError, StreamDeletedError } from '../event-store.errors';
import type {
  AppendResult, EventData, EventStore, ExpectedRevision, ReadAllOptions, ReadStreamOptions, RecordedEvent,
  SubscribeToAllOptions, SubscribeToStreamOptions, Subscription,
} from '../event-store.port';
import { OpenSubscriptions, planAllSubscription, planStreamSubscription, type SubscriptionSource } from '../core/catch-up-subscription';
import { ChangeNotifier } from '../core/change-notifier';
import { planStreamRead, readAllPaged } from '../core/read-plan';
import { type StoredEvent, serializeData, serializeMetadata, toRecordedEvent } from '../core/stored-event';
import { assertIdsNew, assertReadable, checkDelete, decideAppend, NEW_STREAM, type StreamState } from '../core/stream-state';

interface MemoryStream {
  state: StreamState;
  /** Indexed by revision: revisions never skip, even across a soft delete. */
  readonly events: StoredEvent[];
  readonly ids: Map<string, bigint>;
}

/** Index of the first event in `log` (sorted by position) at or after `position`. */
function lowerBound(log: readonly StoredEvent[], position: bigint): number {
  let low = 0;
  let high = log.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (log[middle]!.position < position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * An {@link EventStore} held in memory with the same semantics as the durable adapters, for fast
 * unit tests of the core and the orchestrator. Events are kept as JSON text, like a real store, so
 * what a test reads back is what production would: no shared object references, no `undefined`.
 * Positions have gaps on purpose, so code that does arithmetic on them fails here first.
 *
 * @example
 * const store = new InMemoryEventStore();
 * await store.appendToStream('execution-1', [{ id: randomUUID(), type: 'ExecutionStarted', data: {} }], { expectedRevision: 'no_stream' });
 */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, MemoryStream>();
  private readonly log: StoredEvent[] = [];
  private nextPosition = 0n;
  private readonly notifier = new ChangeNotifier();
  private readonly subscriptions = new OpenSubscriptions(this.notifier);
  private closed = false;

  async appendToStream(streamName: string, events: readonly EventData[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    const stream = this.streams.get(streamName);
    const state = stream?.state ?? NEW_STREAM;
    const revisionOf = (id: string): bigint | undefined => stream?.ids.get(id);
    const ids = events.map((event) => event.id);
    const decision = decideAppend(streamName, state, expected, ids, revisionOf);
    if (decision.kind === 'idempotent') return this.resultAt(stream!, decision.lastRevision);
    assertIdsNew(streamName, expected, state, ids, revisionOf);
    if (events.length === 0) return this.resultAt(stream, state.lastRevision);
    const serialized = events.map((event) => ({ event, data: serializeData(event.data), metadata: serializeMetadata(event.metadata) }));
    const target = stream ?? this.createStream(streamName);
    const created = Date.now();
    let revision = decision.firstRevision;
    for (const { event, data, metadata } of serialized) {
      const stored: StoredEvent = { position: this.nextPosition, revision, streamName, id: event.id, type: event.type, data, metadata, created };
      // Gaps like a real transaction log's byte offsets.
      this.nextPosition += BigInt(64 + event.type.length + data.length + metadata.length);
      target.events.push(stored);
      target.ids.set(event.id, revision);
      this.log.push(stored);
      revision += 1n;
    }
    target.state = { lastRevision: revision - 1n, truncateBefore: target.state.truncateBefore, status: 'live' };
    this.notifier.notify();
    return this.resultAt(target, revision - 1n);
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const stream = this.streams.get(streamName);
    assertReadable(streamName, stream?.state);
    const range = planStreamRead(stream!.state, options);
    const events: RecordedEvent[] = [];
    const step = range.forwards ? 1n : -1n;
    const last = stream!.state.lastRevision;
    for (let revision = range.from; revision >= range.floor && revision <= last && events.length < range.limit; revision += step) {
      events.push(toRecordedEvent(stream!.events[Number(revision)]!));
    }
    return events;
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    return readAllPaged((forwards, from, inclusive, limit) => this.logPage(forwards, from, inclusive, limit), options);
  }

  subscribeToStream(streamName: string, options?: SubscribeToStreamOptions): Subscription {
    this.assertOpen();
    const source: SubscriptionSource = {
      readAfter: (cursor, limit) => {
        const stream = this.streams.get(streamName);
        if (stream?.state.status === 'tombstoned') throw new StreamDeletedError(streamName);
        if (stream === undefined || stream.state.status === 'soft-deleted') return [];
        const first = cursor === undefined ? 0n : cursor + 1n;
        const start = Number(first < stream.state.truncateBefore ? stream.state.truncateBefore : first);
        return stream.events.slice(start, start + limit);
      },
      cursorOf: (event) => event.revision,
    };
    const lastRevision = this.streams.get(streamName)?.state.lastRevision ?? -1n;
    return this.subscriptions.start(source, planStreamSubscription(options, lastRevision));
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    const source: SubscriptionSource = {
      readAfter: (cursor, limit) => this.logPage(true, cursor, false, limit),
      cursorOf: (event) => event.position,
    };
    return this.subscriptions.start(source, planAllSubscription(options, this.log.at(-1)?.position));
  }

  async deleteStream(streamName: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    this.changeStatus(streamName, options.expectedRevision ?? 'any', 'soft-deleted');
  }

  async tombstoneStream(streamName: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    this.changeStatus(streamName, options.expectedRevision ?? 'any', 'tombstoned');
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.subscriptions.closeAll();
  }

  private changeStatus(streamName: string, expected: ExpectedRevision, status: 'soft-deleted' | 'tombstoned'): void {
    this.assertOpen();
    const stream = this.streams.get(streamName) ?? this.createStream(streamName);
    const state = stream.state;
    checkDelete(streamName, state, expected);
    stream.state = { lastRevision: state.lastRevision, truncateBefore: status === 'soft-deleted' ? state.lastRevision + 1n : state.truncateBefore, status };
    // Wakes stream subscriptions so they see a tombstone.
    this.notifier.notify();
  }

  private createStream(streamName: string): MemoryStream {
    const stream: MemoryStream = { state: NEW_STREAM, events: [], ids: new Map() };
    this.streams.set(streamName, stream);
    return stream;
  }

  private resultAt(stream: MemoryStream | undefined, revision: bigint): AppendResult {
    const position = stream?.events[Number(revision)]?.position ?? 0n;
    return { nextExpectedRevision: revision, position: { commit: position, prepare: position } };
  }

  private logPage(forwards: boolean, from: bigint | undefined, inclusive: boolean, limit: number): StoredEvent[] {
    const log = this.log;
    if (forwards) {
      let start = from === undefined ? 0 : lowerBound(log, from);
      if (!inclusive && log[start]?.position === from) start += 1;
      return log.slice(start, start + limit);
    }
    let end = from === undefined ? log.length : lowerBound(log, from);
    if (inclusive && log[end]?.position === from) end += 1;
    return log.slice(Math.max(0, end - limit), end).reverse();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('the in-memory event store is closed');
  }
}
