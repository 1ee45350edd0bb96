import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import {
  CheckpointRepository,
  CompositeProjection,
  ExecutionIndex,
  ORCHESTRATOR_READ_MODELS,
  ProjectionRunner,
  QuarantineRepository,
  TaskExecutionsReport,
  TaskSearch,
  createReadModelDb,
  orchestratorReadModelParts,
  type Projection,
  type QuarantinedEvent,
  type ReadModelDb,
} from '@app/projections';
import type { ArmedTimer, TimerCursor } from '../timers/timer.service';
import type { OperationalIndex } from './operational-index.port';

/**
 * The operational index on the SQL read models: catch-up projections of `execution-*` streams
 * into SQLite or PostgreSQL (execution index, pending tasks, timers, task report).
 */
export class ProjectedOperationalIndex implements OperationalIndex {
  private readonly logger = new Logger('ReadModel');
  private readModel?: ReadModelDb;
  private runners: ProjectionRunner[] = [];
  private queries?: ExecutionIndex;
  private report?: TaskExecutionsReport;
  private tasks?: TaskSearch;

  constructor(
    private readonly store: EventStore,
    private readonly url: string,
    /** More parts run in the same subscription and transaction (e.g. lifecycle reactions). */
    private readonly extraParts: readonly Projection[] = [],
    /** Told before the projection starts whether it resumes from a checkpoint. */
    private readonly onStart?: (resumed: boolean) => void,
    /** Told of each event the read models could not apply and quarantined (metrics). */
    private readonly onQuarantine?: (event: QuarantinedEvent) => void,
  ) {}

  /** The events the read models could not apply and skipped, newest first. */
  quarantined(limit: number): Promise<QuarantinedEvent[]> {
    if (!this.readModel) throw new Error('the read model is not started');
    return new QuarantineRepository(this.readModel.db).list(limit);
  }

  /** Queries over the execution index (search, correlation); available after start. */
  get index(): ExecutionIndex {
    if (!this.queries) throw new Error('the read model is not started');
    return this.queries;
  }

  get taskReport(): TaskExecutionsReport {
    if (!this.report) throw new Error('the read model is not started');
    return this.report;
  }

  /** Conductor's task search over every attempt; available after start. */
  get taskSearch(): TaskSearch {
    if (!this.tasks) throw new Error('the read model is not started');
    return this.tasks;
  }

  async start(): Promise<void> {
    if (this.url.startsWith('sqlite:') && !this.url.startsWith('sqlite::memory:')) {
      mkdirSync(path.dirname(path.resolve(this.url.slice('sqlite:'.length))), { recursive: true });
    }
    this.readModel = await createReadModelDb(this.url);
    this.queries = new ExecutionIndex(this.readModel.db, this.readModel.dialect);
    this.report = new TaskExecutionsReport(this.readModel.db);
    this.tasks = new TaskSearch(this.readModel.db);
    // A read model that resumes from a checkpoint reacts to everything after it; one built from
    // scratch (a new or wiped database) replays history, whose old ends were reacted to long ago.
    const resumed = (await new CheckpointRepository(this.readModel.db).load(ORCHESTRATOR_READ_MODELS)).position !== undefined;
    this.onStart?.(resumed);
    // One subscription and one transaction per batch for both read models: the log is read once.
    const projection = new CompositeProjection(ORCHESTRATOR_READ_MODELS, [...orchestratorReadModelParts(), ...this.extraParts]);
    this.runners = [new ProjectionRunner({ store: this.store, db: this.readModel.db, projection, logger: this.logger, batchSize: 2_000, lingerMs: 50, retry: { maxMs: 5_000 }, ...(this.onQuarantine ? { onQuarantine: this.onQuarantine } : {}) })];
    for (const runner of this.runners) runner.start();
    await Promise.all(this.runners.map((runner) => runner.caughtUp()));
    this.logger.log(`read model caught up (${this.readModel.dialect})`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await this.readModel?.close();
  }

  async scheduledTasks(afterTaskId: string | undefined, limit: number): Promise<{ executionId: string; taskId: string }[]> {
    const tasks = await this.index.pendingTasks({ status: 'SCHEDULED', ...(afterTaskId ? { afterTaskId } : {}), limit });
    return tasks.map((task) => ({ executionId: task.executionId, taskId: task.taskId }));
  }

  async dueBefore(epochMs: number, limit: number, after?: TimerCursor): Promise<ArmedTimer[]> {
    const timers = await this.index.timersDueBefore(epochMs, limit, after);
    return timers.map((timer) => ({ executionId: timer.executionId, timerId: timer.timerId, dueAt: timer.dueAt }));
  }

  /** Lag of each projection, for health and metrics. */
  status(): Record<string, unknown>[] {
    return this.runners.map((runner) => ({ ...runner.status() }));
  }
}
