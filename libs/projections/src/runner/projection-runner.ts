import { isBatonError } from '@app/domain';
import type { EventStore, Position, RecordedEvent, Subscription } from '@app/event-store';
import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../read-model/read-model.schema';
import { CheckpointRepository, type StoredCheckpoint } from './checkpoint.repository';
import { Latch } from './latch';
import { consoleProjectionLogger, type Projection, type ProjectionLogger } from './projection';
import { ProjectionStoppedError, ProjectionWaitTimeoutError } from './projection.errors';
import { comparePositions, formatPosition } from './position';
import { PositionWaiters } from './position-waiters';
import { delay, isTransientFault } from '@app/common';
import { CheckpointConflictError } from './projection.errors';
import { QuarantineRepository, type QuarantinedEvent } from './quarantine.repository';
import { retryDelayMs, type RetryPolicy, yieldToEventLoop } from './retry-backoff';
import { batchesOf, type SubscriptionBatch } from './subscription-batches';

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  /** The read-model database (`createReadModelDb(url).db`). */
  readonly db: Kysely<ReadModelSchema>;
  readonly projection: Projection;
  /** Most events per transaction. Default 500. */
  readonly batchSize?: number;
  /** How long a batch waits for more events once it has some. Default 0 (close it when nothing more is ready). */
  readonly lingerMs?: number;
  /** Filtered-subscription checkpoints every `32 × this` events considered. Default 1. */
  readonly checkpointIntervalMultiplier?: number;
  readonly retry?: RetryPolicy;
  readonly logger?: ProjectionLogger;
  /** Called after each committed batch (metrics, tests); what it throws is logged and ignored. */
  readonly onBatch?: (batch: CommittedBatch) => void;
  /** Called for each event quarantined (metrics); what it throws is logged and ignored. */
  readonly onQuarantine?: (event: QuarantinedEvent) => void;
}

/** A batch the runner committed. */
export interface CommittedBatch {
  readonly projection: string;
  readonly events: number;
  readonly position: Position;
  readonly caughtUp: boolean;
  readonly durationMs: number;
}

export type ProjectionState = 'stopped' | 'catching-up' | 'live' | 'retrying';

export interface ProjectionStatus {
  readonly projection: string;
  readonly state: ProjectionState;
  /** Last position applied (checkpoint). */
  readonly position: Position | undefined;
  /** Caught up at least once since `start()`. */
  readonly caughtUp: boolean;
  /** Events applied since `start()`. */
  readonly eventsApplied: number;
  /** Events received and being applied right now. */
  readonly pendingEvents: number;
  /** Age of the oldest event being applied, or of the last applied one while catching up; 0 when live and idle (and while retrying: unknown). */
  readonly lagMs: number;
  /** Failures since the last successful batch. */
  readonly failures: number;
  readonly lastError?: { readonly message: string; readonly at: Date };
}

interface InFlight {
  readonly events: number;
  readonly oldest: Date | undefined;
}

/**
 * Runs one {@link Projection}: a catch-up subscription to `$all`, filtered to the projection's
 * streams, from the checkpoint stored in the read-model database. Each batch of events is applied
 * in one transaction together with the checkpoint, so the read model reflects every event exactly
 * once however the process stops. When the subscription or the database fails, the runner logs,
 * waits (capped exponential backoff) and resubscribes from the stored checkpoint.
 *
 * @example
 * const readModel = await createReadModelDb('sqlite:data/read-model.db');
 * const runner = new ProjectionRunner({ store, db: readModel.db, projection: new ExecutionIndexProjection() });
 * runner.start();
 * await runner.caughtUp();
 * const { position } = await store.appendToStream(`execution-${id}`, events);
 * await runner.waitForPosition(position, 5_000); // read-your-writes
 * await runner.stop();
 */
export class ProjectionRunner {
  private readonly projection: Projection;
  private readonly checkpoints: CheckpointRepository;
  private readonly quarantine: QuarantineRepository;
  private readonly logger: ProjectionLogger;
  private readonly waiters = new PositionWaiters();
  private firstCaughtUp = new Latch();
  private running = false;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();
  private subscription: Subscription | undefined;
  private checkpoint: StoredCheckpoint | undefined;
  private state: ProjectionState = 'stopped';
  private eventsApplied = 0;
  private failures = 0;
  private lastError: ProjectionStatus['lastError'];
  private inFlight: InFlight | undefined;
  private lastApplied: Date | undefined;
  private startedAt = 0;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.projection = options.projection;
    this.checkpoints = new CheckpointRepository(options.db);
    this.quarantine = new QuarantineRepository(options.db);
    this.logger = options.logger ?? consoleProjectionLogger;
  }

  /** Starts following the log in the background; failures are logged and retried, never thrown. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    if (this.firstCaughtUp.state === 'rejected') this.firstCaughtUp = new Latch();
    this.eventsApplied = 0;
    this.startedAt = performance.now();
    this.state = 'catching-up';
    this.loop = this.run();
  }

  /** Stops after the batch in flight (if any) commits or rolls back. Pending waits reject. */
  async stop(): Promise<void> {
    if (this.running) {
      this.running = false;
      this.abort.abort();
      await this.subscription?.unsubscribe();
    }
    await this.loop;
    this.loop = undefined;
    const stopped = new ProjectionStoppedError(this.projection.name);
    this.waiters.rejectAll(stopped);
    this.firstCaughtUp.reject(stopped);
  }

  /** Resolves when the projection has first caught up with the log; rejects if stopped before. */
  caughtUp(): Promise<void> {
    return this.firstCaughtUp.promise;
  }

  /**
   * Resolves once every event up to `position` is applied: pass the position an append returned,
   * of an event in one of this projection's streams. Rejects with {@link ProjectionWaitTimeoutError}
   * after `timeoutMs`, or {@link ProjectionStoppedError} if the runner is not running.
   */
  waitForPosition(position: Position, timeoutMs = 5_000): Promise<void> {
    const applied = this.checkpoint?.position;
    if (!this.running && (applied === undefined || comparePositions(position, applied) > 0)) {
      return Promise.reject(new ProjectionStoppedError(this.projection.name));
    }
    const timeout = (): Error => new ProjectionWaitTimeoutError(this.projection.name, position, this.checkpoint?.position, timeoutMs);
    return this.waiters.wait(position, applied, timeoutMs, timeout);
  }

  status(): ProjectionStatus {
    const behind = this.inFlight?.oldest ?? (this.state === 'catching-up' ? this.lastApplied : undefined);
    return {
      projection: this.projection.name,
      state: this.state,
      position: this.checkpoint?.position,
      caughtUp: this.firstCaughtUp.state === 'resolved',
      eventsApplied: this.eventsApplied,
      pendingEvents: this.inFlight?.events ?? 0,
      lagMs: behind === undefined ? 0 : Math.max(0, Date.now() - behind.getTime()),
      failures: this.failures,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.follow();
        if (this.running) throw new Error('the subscription ended');
      } catch (error) {
        if (!this.running) break;
        this.failures += 1;
        this.lastError = { message: error instanceof Error ? error.message : String(error), at: new Date() };
        const delayMs = retryDelayMs(this.failures, this.options.retry);
        const log = isBatonError(error) && error.retryable ? this.logger.warn : this.logger.error;
        log.call(this.logger, `projection ${this.projection.name}: ${this.lastError.message}; resubscribing in ${delayMs} ms`, { failures: this.failures, error });
        this.state = 'retrying';
        await delay(delayMs, this.abort.signal);
      }
    }
    this.state = 'stopped';
  }

  /** One subscription's life: from the stored checkpoint until it fails or the runner stops. */
  private async follow(): Promise<void> {
    this.checkpoint = await this.checkpoints.load(this.projection.name);
    if (this.checkpoint.position !== undefined) this.waiters.advance(this.checkpoint.position);
    const subscription = this.options.store.subscribeToAll({
      fromPosition: this.checkpoint.position ?? 'start',
      filter: { streamNamePrefixes: this.projection.streamNamePrefixes, checkpointIntervalMultiplier: this.options.checkpointIntervalMultiplier ?? 1 },
    });
    this.subscription = subscription;
    this.state = 'catching-up';
    try {
      if (!this.running) return;
      for await (const batch of batchesOf(subscription, Math.max(1, this.options.batchSize ?? 500), this.options.lingerMs ?? 0)) {
        if (!this.running) return;
        await this.commit(batch);
        this.failures = 0;
        if (batch.caughtUp) this.markCaughtUp();
        await yieldToEventLoop();
      }
    } finally {
      this.subscription = undefined;
      this.inFlight = undefined;
      await subscription.unsubscribe();
    }
  }

  private async commit(batch: SubscriptionBatch): Promise<void> {
    const from = this.checkpoint!;
    const to = batch.position;
    // A resubscription restates the checkpoint it started from: nothing to write.
    if (to === undefined || (batch.events.length === 0 && from.position !== undefined && comparePositions(to, from.position) <= 0)) return;
    const started = performance.now();
    this.inFlight = { events: batch.events.length, oldest: batch.events[0]?.created };
    try {
      this.checkpoint = await this.applyInTransaction(from, to, batch.events);
    } catch (error) {
      if (batch.events.length === 0 || !mayBePoison(error)) throw error;
      this.logger.warn(`projection ${this.projection.name}: a batch of ${batch.events.length} events failed (${errorText(error)}); applying them one by one`);
      await this.commitOneByOne(from, to, batch.events);
    }
    this.inFlight = undefined;
    this.eventsApplied += batch.events.length;
    this.lastApplied = batch.events.at(-1)?.created ?? this.lastApplied;
    this.waiters.advance(to);
    if (batch.events.length > 0) this.afterCommit(batch.events);
    this.report({ projection: this.projection.name, events: batch.events.length, position: to, caughtUp: batch.caughtUp, durationMs: performance.now() - started });
  }

  private applyInTransaction(from: StoredCheckpoint, to: Position, events: readonly RecordedEvent[]): Promise<StoredCheckpoint> {
    return this.options.db.transaction().execute(async (trx) => {
      const advanced = await this.checkpoints.advance(trx, this.projection.name, from, to);
      if (events.length > 0) await this.projection.applyBatch(trx, events);
      return advanced;
    });
  }

  /**
   * A batch failed with what may be a poison event (not a retryable error, not the database or a
   * dependency being away): each event is applied in its own transaction, twice before giving
   * up on it; one that still fails is recorded in `quarantined_events` in the transaction that
   * moves the checkpoint past it, so every other event is applied and the read model never
   * stalls on one event it cannot apply. Should the database itself be the problem, recording the
   * quarantine fails too, and the batch is retried from the checkpoint as any failure is.
   */
  private async commitOneByOne(from: StoredCheckpoint, to: Position, events: readonly RecordedEvent[]): Promise<void> {
    let checkpoint = from;
    for (const event of events) {
      let failure: unknown;
      for (let attempt = 1; attempt <= 2; attempt++) {
        try {
          checkpoint = await this.applyInTransaction(checkpoint, event.position, [event]);
          failure = undefined;
          break;
        } catch (error) {
          if (!mayBePoison(error)) throw error;
          failure = error;
        }
      }
      if (failure === undefined) {
        this.checkpoint = checkpoint;
        continue;
      }
      const at = checkpoint;
      let quarantined: QuarantinedEvent | undefined;
      checkpoint = await this.options.db.transaction().execute(async (trx) => {
        const advanced = await this.checkpoints.advance(trx, this.projection.name, at, event.position);
        quarantined = await this.quarantine.record(trx, this.projection.name, event, failure);
        return advanced;
      });
      this.checkpoint = checkpoint;
      this.logger.error(`projection ${this.projection.name}: quarantined ${event.type} #${event.revision} of ${event.streamName} (it cannot be applied: ${errorText(failure)}); the events after it are applied`);
      try {
        if (quarantined) this.options.onQuarantine?.(quarantined);
      } catch (error) {
        this.logger.error(`projection ${this.projection.name}: onQuarantine threw`, { error });
      }
    }
    // A filtered subscription's batch may end past its last event.
    if (checkpoint.position === undefined || comparePositions(to, checkpoint.position) > 0) checkpoint = await this.applyInTransaction(checkpoint, to, []);
    this.checkpoint = checkpoint;
  }

  /** The batch is stored: a failing after-commit hook must not make the runner apply it again. */
  private afterCommit(events: readonly RecordedEvent[]): void {
    try {
      this.projection.afterCommit?.(events);
    } catch (error) {
      this.logger.error(`projection ${this.projection.name}: afterCommit threw`, { error });
    }
  }

  /** A failing metrics hook must not look like a failing store: log it and carry on. */
  private report(batch: CommittedBatch): void {
    try {
      this.options.onBatch?.(batch);
    } catch (error) {
      this.logger.error(`projection ${this.projection.name}: onBatch threw`, { error });
    }
  }

  private markCaughtUp(): void {
    this.state = 'live';
    if (this.firstCaughtUp.state !== 'open') return;
    const seconds = (performance.now() - this.startedAt) / 1000;
    this.logger.log(`projection ${this.projection.name} caught up at ${formatPosition(this.checkpoint?.position)}: ${this.eventsApplied} events in ${seconds.toFixed(2)} s`);
    this.firstCaughtUp.resolve();
  }
}

/**
 * Whether a failed batch may hold an event that can never be applied: not when the error says
 * retrying helps (the event store or NATS away), the database connection failed, or another
 * runner took the checkpoint.
 */
function mayBePoison(error: unknown): boolean {
  if (error instanceof CheckpointConflictError) return false;
  if (isBatonError(error) && error.retryable) return false;
  return !isTransientFault(error);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
