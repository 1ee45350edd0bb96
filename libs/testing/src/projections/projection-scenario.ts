import { executionStream } from '@app/domain';
import type { AppendResult, EventStore } from '@app/event-store';
import { InMemoryEventStore, SqliteEventStore } from '@app/event-store';
import type { Kysely } from 'kysely';
import { ProjectionRunner, type Projection, type ProjectionLogger, type ProjectionRunnerOptions, type ReadModelDb, type ReadModelTable } from '@app/projections';
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
 * Given/when/then for projections: events go into a real event store (`given`), a runner follows
 * it into a fresh read model (`whenCaughtUp`), and the test reads the rows (`rows`).
 */
export class ProjectionScenario {
  readonly logger = recordingLogger();
  private readonly runners: ProjectionRunner[] = [];

  private constructor(readonly store: EventStore, readonly readModel: ReadModelDb) {}

  static async open(scratch: ReadModelScratch, storeKind: TestStoreKind = 'memory'): Promise<ProjectionScenario> {
    const store = storeKind === 'memory' ? new InMemoryEventStore() : new SqliteEventStore({ path: scratch.file('events.db') });
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
