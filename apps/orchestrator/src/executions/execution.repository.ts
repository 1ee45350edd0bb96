import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { EVENT_SCHEMA_VERSION, executionStream, initialState, isStarted, isTerminalExecution, replay, toExecutionEvents, type ExecutionEvent, type ExecutionState, type StartedExecution } from '@app/domain';
import {
  EVENT_STORE,
  GENESIS_HASH,
  StreamNotFoundError,
  StreamRevisionConflictError,
  chainEvents,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@app/event-store';
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { AppendBatcher } from './append-batcher';

/** An execution as loaded: its state and what the next append must expect. */
export interface LoadedExecution<State extends ExecutionState = ExecutionState> {
  readonly executionId: string;
  readonly state: State;
  /** Revision of the last event, or `'no_stream'` for an execution not started yet. */
  readonly revision: bigint | 'no_stream';
  /** Hash of the last event (the hash chain continues from it). */
  readonly lastHash: string;
}

/** Who and what caused events: stored in every event's metadata. */
export interface CauseMetadata {
  readonly causationId: string;
  /** The authenticated principal (`token:<name>`, `user:<name>`, `anonymous`) or a component (`timer`, `worker:<id>` over NATS…). */
  readonly actor: string;
  readonly correlationId?: string;
  /** The name an HTTP caller gave itself (`x-baton-client`): unauthenticated, for information only. */
  readonly client?: string;
  /** The worker id a worker reported with its result or poll (as reported). */
  readonly workerId?: string;
}

/**
 * Loads executions by replaying their stream (or from a bounded LRU cache) and appends new
 * events with the expected revision and the hash chain.
 */
@Injectable()
export class ExecutionRepository {
  private readonly cache: LRUCache<string, LoadedExecution>;
  /** Executions that just ended: their end's reactions (notification, compensation) read them once more. */
  private readonly recentlyEnded = new LRUCache<string, LoadedExecution>({ max: 2_000 });
  private readonly appends: AppendBatcher;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BATON_CONFIG) config: BatonConfig,
    private readonly metrics: OrchestratorMetrics,
  ) {
    this.cache = new LRUCache({ max: config.cacheSize });
    this.appends = new AppendBatcher(store);
  }

  /** The execution's current state; an execution that does not exist loads as `NOT_STARTED`. */
  async load(executionId: string): Promise<LoadedExecution> {
    return (await this.loadTracked(executionId)).loaded;
  }

  /**
   * Like {@link load}, and says where the state came from: `cached` states may be behind the
   * stream (another replica may have appended since), replayed ones are current as of the read.
   */
  async loadTracked(executionId: string): Promise<{ loaded: LoadedExecution; cached: boolean }> {
    const cached = this.cache.get(executionId) ?? this.recentlyEnded.get(executionId);
    if (cached) return { loaded: cached, cached: true };
    let recorded: RecordedEvent[];
    try {
      recorded = await this.store.readStream(executionStream(executionId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { loaded: { executionId, state: initialState(executionId), revision: 'no_stream', lastHash: GENESIS_HASH }, cached: false };
      throw error;
    }
    const state = replay(toExecutionEvents(recorded), initialState(executionId));
    const last = recorded[recorded.length - 1];
    const loaded: LoadedExecution = {
      executionId,
      state,
      revision: last ? last.revision : 'no_stream',
      lastHash: (last?.metadata.hash as string | undefined) ?? GENESIS_HASH,
    };
    if (last && !isTerminalExecution(state.status)) this.cache.set(executionId, loaded);
    return { loaded, cached: false };
  }

  /**
   * Whether `loaded` is still the head of its stream, i.e. no replica appended since it was read:
   * one read of the last event. An execution whose stream does not exist is current as `'no_stream'`.
   */
  async isCurrent(loaded: LoadedExecution): Promise<boolean> {
    let last: RecordedEvent | undefined;
    try {
      [last] = await this.store.readStream(executionStream(loaded.executionId), { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return (last?.revision ?? 'no_stream') === loaded.revision;
  }

  /**
   * Like {@link load}, but a cached state is first checked against the stream's last revision, so
   * a read never serves a state another replica has since moved on from (one small read).
   */
  async loadFresh(executionId: string): Promise<LoadedExecution> {
    const { loaded, cached } = await this.loadTracked(executionId);
    if (!cached || (await this.isCurrent(loaded))) return loaded;
    this.evict(executionId);
    return this.load(executionId);
  }

  /**
   * The execution's state including at least the event at `revision` (a reaction to that event
   * needs it): the cached state when it has got that far, else the stream read again (another
   * replica appended it).
   */
  async loadAtLeast(executionId: string, revision: bigint): Promise<LoadedExecution> {
    const { loaded, cached } = await this.loadTracked(executionId);
    if (!cached || (loaded.revision !== 'no_stream' && loaded.revision >= revision)) return loaded;
    this.evict(executionId);
    return this.load(executionId);
  }

  /**
   * Appends events decided against `loaded`. On a revision conflict (another replica wrote
   * first) the cached state is dropped and the conflict rethrown: the caller reloads and decides again.
   */
  async append(
    loaded: LoadedExecution,
    events: readonly { event: ExecutionEvent; cause: CauseMetadata }[],
    /** The state after the events, when the caller already folded them. */
    after: ExecutionState = replay(events.map((item) => item.event), loaded.state),
  ): Promise<{ loaded: LoadedExecution<StartedExecution>; result: AppendResult }> {
    const stream = executionStream(loaded.executionId);
    const firstRevision = loaded.revision === 'no_stream' ? 0n : loaded.revision + 1n;
    const state = after;
    // Every history begins with ExecutionStarted: events for an execution that is not started would be a decider bug.
    if (!isStarted(state)) throw new Error(`refusing to append ${events.map((item) => item.event.type).join(', ')} to execution ${loaded.executionId}, which is not started`);
    const drafts = events.map(({ event, cause }) => {
      const metadata: EventMetadata = {
        correlationId: cause.correlationId ?? state.correlationId ?? loaded.executionId,
        causationId: cause.causationId,
        actor: cause.actor,
        ...(cause.client ? { client: cause.client } : {}),
        ...(cause.workerId ? { workerId: cause.workerId } : {}),
        schemaVersion: EVENT_SCHEMA_VERSION,
      };
      return { id: randomUUID(), type: event.type, data: event.data, metadata };
    });
    const chained = chainEvents(stream, firstRevision, loaded.lastHash, drafts);
    let result: AppendResult;
    const started = performance.now();
    try {
      result = await this.appends.append({ streamName: stream, events: chained, expectedRevision: loaded.revision });
      this.metrics.storeAppendSeconds.observe((performance.now() - started) / 1000);
    } catch (error) {
      if (error instanceof StreamRevisionConflictError) this.evict(loaded.executionId);
      throw error;
    }
    const next: LoadedExecution<StartedExecution> = {
      executionId: loaded.executionId,
      state,
      revision: result.nextExpectedRevision,
      lastHash: chained[chained.length - 1]!.metadata!.hash as string,
    };
    // Ended executions leave the main cache for a small one: rarely touched after their reactions, they replay when they are.
    if (isTerminalExecution(state.status)) {
      this.cache.delete(loaded.executionId);
      this.recentlyEnded.set(loaded.executionId, next);
    } else {
      this.recentlyEnded.delete(loaded.executionId);
      this.cache.set(loaded.executionId, next);
    }
    return { loaded: next, result };
  }

  /** Drops a cached state (after an unknown append outcome, say). */
  evict(executionId: string): void {
    this.cache.delete(executionId);
    this.recentlyEnded.delete(executionId);
  }

  /** The raw history with metadata, for audits. Throws StreamNotFoundError for unknown ids. */
  history(executionId: string, options: { fromRevision?: bigint; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    return this.store.readStream(executionStream(executionId), { fromRevision: options.fromRevision ?? 'start', maxCount: options.maxCount });
  }
}
