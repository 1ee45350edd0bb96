import type Database from 'better-sqlite3';
import { EventStoreUnavailableError, StreamDeletedError } from '../event-store.errors';
import type {
  AppendOutcome, AppendRequest, AppendResult, EventData, EventStore, ExpectedRevision, ReadAllOptions, ReadStreamOptions, RecordedEvent,
  SubscribeToAllOptions, SubscribeToStreamOptions, Subscription,
} from '../event-store.port';
import { OpenSubscriptions, planAllSubscription, planStreamSubscription, type SubscriptionSource } from '../core/catch-up-subscription';
import { ChangeNotifier } from '../core/change-notifier';
import { type AllPageReader, planStreamRead, readAllPaged } from '../core/read-plan';
import { type StoredEvent, serializeData, serializeMetadata, toRecordedEvent } from '../core/stored-event';
import { assertReadable, checkDelete, conflict, decideAppend, NEW_STREAM, type StreamState } from '../core/stream-state';
import { openDatabase, STATUS_SOFT_DELETED, STATUS_TOMBSTONED } from './sqlite-schema';
import { prepareStatements, type StoredRow, type StreamRow } from './sqlite-statements';

export type { StoredRow } from './sqlite-statements';

/** Options of {@link SqliteEventStore}. */
export interface SqliteEventStoreOptions {
  /** The database file, created if missing; `':memory:'` for a private throw-away store. */
  readonly path: string;
  /** How often idle subscriptions look for appends made by other processes. Default 50 ms. */
  readonly pollIntervalMs?: number;
  /** How long a write waits for another process's write transaction. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Open an existing store for reading only (audits, exports): appends and deletes then fail. Default false. */
  readonly readOnly?: boolean;
}

const MAX_POSITION = 9_223_372_036_854_775_807n;

function toState(row: StreamRow): StreamState {
  const status = row.status === STATUS_TOMBSTONED ? 'tombstoned' : row.status === STATUS_SOFT_DELETED ? 'soft-deleted' : 'live';
  return { lastRevision: row.lastRevision, truncateBefore: row.truncateBefore, status };
}

function toResult(revision: bigint, position: bigint): AppendResult {
  return { nextExpectedRevision: revision, position: { commit: position, prepare: position } };
}

/**
 * SQLite's own failures (busy, closed, I/O). Recognised by shape: the driver's native code builds
 * its errors in the main realm, so `instanceof` fails under jest's per-file module registries.
 */
function isSqliteFailure(error: unknown): error is Error {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  return (name === 'SqliteError' && typeof code === 'string') || (typeof message === 'string' && message.includes('database connection is not open'));
}

function translate(error: unknown): unknown {
  return isSqliteFailure(error) ? new EventStoreUnavailableError(`sqlite event store: ${error.message}`, { cause: error }) : error;
}

/**
 * The embedded {@link EventStore}: one SQLite file (better-sqlite3, WAL), EventStoreDB semantics.
 * Several instances, in one process or several, may open the same file: every append checks its
 * expected revision inside a `BEGIN IMMEDIATE` transaction, and subscriptions see other writers'
 * appends by polling (same-process appends wake them at once).
 *
 * @example
 * const store = new SqliteEventStore({ path: 'data/baton.db' });
 * await store.appendToStream('execution-1', [{ id: randomUUID(), type: 'ExecutionStarted', data: {} }], { expectedRevision: 'no_stream' });
 * for await (const message of store.subscribeToAll({ filter: { streamNamePrefixes: ['execution-'] } })) { … }
 */
export class SqliteEventStore implements EventStore {
  /** `appendMany` is one transaction that applies its requests in order. */
  readonly appendManyKeepsOrder = true;
  private readonly db: Database.Database;
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly notifier: ChangeNotifier;
  private readonly subscriptions: OpenSubscriptions;
  private readonly appendTx: Database.Transaction<(streamName: string, events: readonly EventData[], expected: ExpectedRevision) => AppendResult>;
  private readonly batchTx: Database.Transaction<(requests: readonly AppendRequest[]) => AppendOutcome[]>;
  private readonly statusTx: Database.Transaction<(streamName: string, expected: ExpectedRevision, status: bigint) => void>;
  private readonly readTx: Database.Transaction<(streamName: string, options: ReadStreamOptions | undefined) => StoredEvent[]>;
  private readonly allPage: AllPageReader;

  constructor(options: SqliteEventStoreOptions) {
    this.db = openDatabase(options.path, options.busyTimeoutMs ?? 5_000, options.readOnly ?? false);
    this.sql = prepareStatements(this.db);
    this.notifier = new ChangeNotifier(options.pollIntervalMs ?? 50);
    this.subscriptions = new OpenSubscriptions(this.notifier);
    this.appendTx = this.db.transaction((streamName, events, expected) => this.append(streamName, events, expected));
    this.batchTx = this.db.transaction((requests) => requests.map((request) => this.appendOneOf(request)));
    this.statusTx = this.db.transaction((streamName, expected, status) => this.setStatus(streamName, expected, status));
    this.readTx = this.db.transaction((streamName, readOptions) => this.readVisible(streamName, readOptions));
    const { allFrom, allAfter, allUntil, allBefore } = this.sql;
    this.allPage = (forwards, from, inclusive, limit) => {
      const statement = forwards ? (inclusive ? allFrom : allAfter) : inclusive ? allUntil : allBefore;
      return statement.all({ from: from ?? (forwards ? -1n : MAX_POSITION), limit });
    };
  }

  async appendToStream(streamName: string, events: readonly EventData[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    const result = this.guard(() => this.appendTx.immediate(streamName, events, options.expectedRevision ?? 'any'));
    this.notifier.notify();
    return result;
  }

  /**
   * Several appends, to one stream or many, in one transaction: each keeps `appendToStream`'s
   * semantics exactly (checked in order, so a later request sees an earlier one's events) and
   * fails alone, but they share one commit, which is what makes a busy orchestrator fast.
   *
   * @example
   * const [started, scheduled] = await store.appendMany([
   *   { streamName: 'execution-1', events: [started], expectedRevision: 'no_stream' },
   *   { streamName: 'execution-2', events: [scheduled], expectedRevision: 4n },
   * ]);
   * if (!scheduled.ok) throw scheduled.error;
   */
  async appendMany(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    const outcomes = this.guard(() => this.batchTx.immediate(requests));
    this.notifier.notify();
    return outcomes;
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.guard(() => this.readTx(streamName, options)).map(toRecordedEvent);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.guard(() => readAllPaged(this.allPage, options));
  }

  subscribeToStream(streamName: string, options?: SubscribeToStreamOptions): Subscription {
    const { stream, streamForwards } = this.sql;
    const source: SubscriptionSource = {
      readAfter: (cursor, limit) => this.guard(() => {
        const row = stream.get(streamName);
        if (row === undefined || row.status === STATUS_SOFT_DELETED) return [];
        if (row.status === STATUS_TOMBSTONED) throw new StreamDeletedError(streamName);
        const from = cursor === undefined ? 0n : cursor + 1n;
        return streamForwards.all({ streamId: row.streamId, streamName, from, floor: row.truncateBefore, limit });
      }),
      cursorOf: (event) => event.revision,
    };
    const lastRevision = this.guard(() => stream.get(streamName)?.lastRevision ?? -1n);
    return this.subscriptions.start(source, planStreamSubscription(options, lastRevision));
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    const source: SubscriptionSource = {
      readAfter: (cursor, limit) => this.guard(() => this.allPage(true, cursor, false, limit)),
      cursorOf: (event) => event.position,
    };
    const head = this.guard(() => this.sql.head.get() ?? undefined);
    return this.subscriptions.start(source, planAllSubscription(options, head));
  }

  async deleteStream(streamName: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    this.guard(() => this.statusTx.immediate(streamName, options.expectedRevision ?? 'any', STATUS_SOFT_DELETED));
    this.notifier.notify();
  }

  async tombstoneStream(streamName: string, options: { expectedRevision?: ExpectedRevision } = {}): Promise<void> {
    this.guard(() => this.statusTx.immediate(streamName, options.expectedRevision ?? 'any', STATUS_TOMBSTONED));
    this.notifier.notify();
  }

  /**
   * Every user event of `$all`, oldest first, as raw rows with data and metadata still JSON text:
   * the lean read of the offline tools (`baton verify --all`, export), which would otherwise
   * build, parse and throw away an object per event. Iterate it to the end (or call `return`)
   * before using the store again: the connection is busy while the scan is open.
   */
  storedRows(): IterableIterator<StoredRow> {
    return this.guard(() => this.sql.storedRows.iterate());
  }

  async ping(): Promise<void> {
    this.guard(() => this.sql.ping.get());
  }

  async close(): Promise<void> {
    await this.subscriptions.closeAll();
    if (this.db.open) this.db.close();
  }

  /** Runs inside the IMMEDIATE transaction: the state read here cannot change before commit. */
  private append(streamName: string, events: readonly EventData[], expected: ExpectedRevision): AppendResult {
    const sql = this.sql;
    const row = sql.stream.get(streamName);
    const state = row === undefined ? NEW_STREAM : toState(row);
    const streamId = row?.streamId;
    const revisionOf = (id: string): bigint | undefined => (streamId === undefined ? undefined : sql.revisionOfId.get(streamId, id));
    const decision = decideAppend(streamName, state, expected, events.map((event) => event.id), revisionOf);
    if (decision.kind === 'idempotent') return toResult(decision.lastRevision, sql.positionAt.get(streamId!, decision.lastRevision)!);
    if (events.length === 0) {
      const last = streamId === undefined ? undefined : sql.positionAt.get(streamId, state.lastRevision);
      return toResult(state.lastRevision, last ?? 0n);
    }
    const id = streamId ?? (sql.insertStream.run(streamName).lastInsertRowid as bigint);
    const created = Date.now();
    let revision = decision.firstRevision;
    let position = 0n;
    try {
      for (const event of events) {
        const data = serializeData(event.data);
        position = sql.insertEvent.run(id, revision, event.id, event.type, data, serializeMetadata(event.metadata), created).lastInsertRowid as bigint;
        revision += 1n;
      }
    } catch (error) {
      // The unique (stream, event id) index: an id may appear once per stream.
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict(streamName, expected, state);
      throw error;
    }
    sql.setHead.run(revision - 1n, id);
    return toResult(revision - 1n, position);
  }

  /** Inside the batch transaction: a nested transaction is a savepoint, so a failure undoes only this request. */
  private appendOneOf(request: AppendRequest): AppendOutcome {
    try {
      return { ok: true, result: this.appendTx(request.streamName, request.events, request.expectedRevision ?? 'any') };
    } catch (error) {
      if (isSqliteFailure(error)) throw error;
      return { ok: false, error: error as Error };
    }
  }

  private setStatus(streamName: string, expected: ExpectedRevision, status: bigint): void {
    const row = this.sql.stream.get(streamName);
    const state = row === undefined ? NEW_STREAM : toState(row);
    checkDelete(streamName, state, expected);
    const id = row?.streamId ?? (this.sql.insertStream.run(streamName).lastInsertRowid as bigint);
    const truncateBefore = status === STATUS_SOFT_DELETED ? state.lastRevision + 1n : state.truncateBefore;
    this.sql.setStatus.run(status, truncateBefore, id);
  }

  private readVisible(streamName: string, options: ReadStreamOptions | undefined): StoredEvent[] {
    const row = this.sql.stream.get(streamName);
    const state = row === undefined ? undefined : toState(row);
    assertReadable(streamName, state);
    const range = planStreamRead(state, options);
    const statement = range.forwards ? this.sql.streamForwards : this.sql.streamBackwards;
    return statement.all({ streamId: row!.streamId, streamName, from: range.from, floor: range.floor, limit: range.limit });
  }

  private guard<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw translate(error);
    }
  }
}
