import { executionStream, toExecutionEvents, type ExecutionEvent } from '@app/domain';
import type { AppendResult, EventStore } from '@app/event-store';
import { InMemoryEventStore, SqliteEventStore } from '@app/event-store';
import type { Kysely } from 'kysely';
import { ProjectionRunner, comparePositions, type Projection, type ProjectionLogger, type ProjectionRunnerOptions, type ReadModelDb, type ReadModelTable } from '@app/projections';
import type { RowOf } from '@app/projections/read-model/table-spec';
import { appendEvents, type TestEvent } from './execution-history';
import { ReadModelScratch, type TestDialect } from './read-model-scratch';

export type LogLevel = keyof ProjectionLogger;

/** A logger that keeps what it is told, for assertions. */
export interface RecordingLogger extends ProjectionLogger {
  readonly lines: { readonly level: LogLevel; readonly message: string }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: { level: LogLevel; message: string }[] = [];
  const record = (level: LogLevel) => (message: string) => void lines.push({ level, message });
  return { lines, log: record('log'), warn: record('warn'), error: record('error') };
}

export type TestStoreKind = 'memory' | 'sqlite';

/**
 * Given/when/then for projections: events go into a real event store (`given`, or the commands of
 * an in-process command core writing to the same store), a runner follows it into a fresh read
 * model (`whenCaughtUp`, or `whenProjected`, which also stops it), and the test reads the rows
 * (`rows`) or the effects: what a reaction published, the streams it appended to (`eventsOf`).
 *
 * @example
 * const scenario = await ProjectionScenario.open(scratch, store);
 * await scenario.given('e1', [history.started('e1'), history.executionFailed(2_000)]);
 * await scenario.whenProjected(reactions);
 * expect(publisher.messages).toEqual([...]);
 */
export class ProjectionScenario {
  readonly logger = recordingLogger();
  private readonly runners: ProjectionRunner[] = [];

  private constructor(readonly store: EventStore, readonly readModel: ReadModelDb) {}

  /** A scenario on a new store of `storeKind`, or on `store` (shared with the code under test). */
  static async open(scratch: ReadModelScratch, storeKind: TestStoreKind | EventStore = 'memory'): Promise<ProjectionScenario> {
    const store = typeof storeKind !== 'string' ? storeKind : storeKind === 'memory' ? new InMemoryEventStore() : new SqliteEventStore({ path: scratch.file('events.db') });
    return new ProjectionScenario(store, await scratch.openReadModel());
  }

  given(executionId: string, events: readonly TestEvent[]): Promise<AppendResult> {
    return appendEvents(this.store, executionStream(executionId), events);
  }

  givenStream(streamName: string, events: readonly TestEvent[]): Promise<AppendResult> {
    return appendEvents(this.store, streamName, events);
  }

  /** A started runner, stopped by {@link close}. */
  run(projection: Projection, options: Partial<ProjectionRunnerOptions> = {}): ProjectionRunner {
    const runner = new ProjectionRunner({ store: this.store, db: this.readModel.db, projection, logger: this.logger, retry: { initialMs: 5, maxMs: 50 }, ...options });
    this.runners.push(runner);
    runner.start();
    return runner;
  }

  async whenCaughtUp(projection: Projection, options: Partial<ProjectionRunnerOptions> = {}): Promise<ProjectionRunner> {
    const runner = this.run(projection, options);
    await runner.caughtUp();
    return runner;
  }

  /**
   * Runs `projection` over everything stored (from its checkpoint in this read model) and stops it
   * once it has applied the last event of its streams, including the events its own reactions
   * appended meanwhile; a batch commits only after its reactions, so they are all done by then.
   */
  async whenProjected(projection: Projection, options: Partial<ProjectionRunnerOptions> = {}): Promise<void> {
    const runner = this.run(projection, options);
    try {
      await runner.caughtUp();
      for (;;) {
        const [last] = await this.store.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1, filter: { streamNamePrefixes: projection.streamNamePrefixes } });
        const applied = runner.status().position;
        if (!last || (applied !== undefined && comparePositions(last.position, applied) <= 0)) return;
        await runner.waitForPosition(last.position);
      }
    } finally {
      await runner.stop();
    }
  }

  /** The execution events of `executionId`'s stream, decoded (none when it does not exist). */
  async eventsOf(executionId: string): Promise<ExecutionEvent[]> {
    try {
      return toExecutionEvents(await this.store.readStream(executionStream(executionId)));
    } catch (error) {
      if ((error as { code?: unknown }).code === 'STREAM_NOT_FOUND') return [];
      throw error;
    }
  }

  /** Every row of a table, in key order (numbers as numbers in both dialects). */
  async rows<T extends ReadModelTable>(table: T, ...orderBy: string[]): Promise<RowOf<T>[]> {
    const db = this.readModel.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    let query = db.selectFrom(table).selectAll();
    for (const column of orderBy) query = query.orderBy(column);
    return (await query.execute()) as unknown as RowOf<T>[];
  }

  async close(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await this.store.close();
  }
}

/**
 * Registers the hooks of a spec whose tests each get a fresh scenario (store and read model) on
 * `dialect`; read `.scenario` inside a test.
 */
export function scenarioPerTest(dialect: TestDialect, storeKind: TestStoreKind = 'memory'): { readonly scratch: ReadModelScratch; readonly scenario: ProjectionScenario } {
  const scratch = new ReadModelScratch(dialect);
  let current: ProjectionScenario | undefined;
  beforeEach(async () => {
    current = await ProjectionScenario.open(scratch, storeKind);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  afterAll(() => scratch.dispose());
  return {
    scratch,
    get scenario(): ProjectionScenario {
      if (current === undefined) throw new Error('the scenario exists only inside a test');
      return current;
    },
  };
}
