import { InMemoryEventStore, type Position } from '@app/event-store';
import type { Kysely } from 'kysely';
import { ExecutionIndexProjection } from '../execution-index/execution-index.projection';
import type { ReadModelSchema } from '../read-model/read-model.schema';
import { TaskExecutionsProjection } from '../task-executions/task-executions.projection';
import { completedExecution, history as h } from '@app/testing/projections/execution-history';
import { FlakyEventStore } from '@app/testing/projections/flaky-event-store';
import { scenarioPerTest } from '@app/testing/projections/projection-scenario';
import { TEST_DIALECTS } from '@app/testing/projections/read-model-scratch';
import { waitFor } from '@app/testing/wait-for';
import { CheckpointRepository } from './checkpoint.repository';
import { QuarantineRepository } from './quarantine.repository';
import type { Projection } from './projection';
import { ProjectionStoppedError, ProjectionWaitTimeoutError } from './projection.errors';
import { ProjectionRunner } from './projection-runner';

const PROJECTED_TABLES = ['executions', 'pending_tasks', 'timers', 'task_executions', 'task_execution_workflows'] as const;

/** Every projected row, for comparing a read model with one built in a single uninterrupted run. */
async function snapshot(db: Kysely<ReadModelSchema>): Promise<Record<string, unknown[]>> {
  const loose = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const tables: Record<string, unknown[]> = {};
  for (const table of PROJECTED_TABLES) {
    const rows = await loose.selectFrom(table).selectAll().execute();
    tables[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return tables;
}

/** Both projections of this library, fed by one runner each. */
const bothProjections = (): Projection[] => [new ExecutionIndexProjection(), new TaskExecutionsProjection()];

describe.each(TEST_DIALECTS)('ProjectionRunner on %s', (dialect) => {
  const spec = scenarioPerTest(dialect, 'sqlite');
  const scratch = spec.scratch;
  let lastPosition: Position;

  /** Given: `executions` complete executions of `tasks` tasks, one append each, plus one still running. */
  async function givenExecutions(executions: number, tasks = 2, prefix = 'e'): Promise<void> {
    for (let index = 0; index < executions; index += 1) lastPosition = (await spec.scenario.given(`${prefix}${index}`, completedExecution(`${prefix}${index}`, tasks, 1_000 + index))).position;
    lastPosition = (await spec.scenario.given(`${prefix}-open`, [h.started(`${prefix}-open`), h.scheduled(`${prefix}-open-t`), h.timerStarted('timeout', 99_000)])).position;
  }

  /** The same history projected in one go into a fresh read model. */
  async function reference(): Promise<Record<string, unknown[]>> {
    const readModel = await scratch.openReadModel();
    const runners = bothProjections().map((projection) => new ProjectionRunner({ store: spec.scenario.store, db: readModel.db, projection, logger: spec.scenario.logger }));
    runners.forEach((runner) => runner.start());
    await Promise.all(runners.map((runner) => runner.waitForPosition(lastPosition, 30_000)));
    await Promise.all(runners.map((runner) => runner.stop()));
    return snapshot(readModel.db);
  }

  it('given an event the read model cannot apply (a timer due at Infinity, stored before dates were bounded), when projected, then it is quarantined and every other event is applied; a restart stays caught up', async () => {
    await givenExecutions(3, 2, 'before');
    await spec.scenario.given('poison', [h.started('poison'), h.timerStarted('never', Number.POSITIVE_INFINITY)]);
    await givenExecutions(3, 2, 'after');
    const quarantined: unknown[] = [];
    const runner = await spec.scenario.whenCaughtUp(new ExecutionIndexProjection(), { onQuarantine: (event) => quarantined.push(event) });
    await runner.waitForPosition(lastPosition, 10_000);

    const executions = (await spec.scenario.rows('executions')) as { execution_id: string }[];
    expect(executions.map((row) => row.execution_id).sort()).toEqual(['after-open', 'after0', 'after1', 'after2', 'before-open', 'before0', 'before1', 'before2', 'poison'].sort());
    const rows = await new QuarantineRepository(spec.scenario.readModel.db).list();
    expect(rows).toEqual([expect.objectContaining({ projection: 'execution-index', streamName: 'execution-poison', revision: '1', eventType: 'TimerStarted', error: expect.any(String) })]);
    expect(quarantined).toEqual(rows);
    expect(runner.status()).toEqual(expect.objectContaining({ state: 'live', position: lastPosition }));
    await runner.stop();

    const restarted = await spec.scenario.whenCaughtUp(new ExecutionIndexProjection());
    expect(restarted.status()).toEqual(expect.objectContaining({ state: 'live', eventsApplied: 0, position: lastPosition }));
    expect(await new QuarantineRepository(spec.scenario.readModel.db).list()).toHaveLength(1);
  });

  it('given a restart, when the new runner catches up, then it applies only what came after the checkpoint', async () => {
    await givenExecutions(20);
    const first = await spec.scenario.whenCaughtUp(new TaskExecutionsProjection());
    await first.stop();
    expect(first.status()).toEqual(expect.objectContaining({ state: 'stopped', eventsApplied: 20 * 6 + 3 }));

    await givenExecutions(5, 2, 'later');
    const second = await spec.scenario.whenCaughtUp(new TaskExecutionsProjection());

    expect(second.status()).toEqual(expect.objectContaining({ state: 'live', eventsApplied: 5 * 6 + 3, position: lastPosition, pendingEvents: 0, lagMs: 0, failures: 0 }));
    expect(await spec.scenario.rows('task_executions')).toHaveLength(25 * 2 + 2);
    expect((await new CheckpointRepository(spec.scenario.readModel.db).load('task-executions')).position).toEqual(lastPosition);
  });

  it('given a stop between batches, when another runner resumes, then the read model equals one built without interruption', async () => {
    await givenExecutions(30, 3);
    for (const projection of bothProjections()) {
      let batches = 0;
      let stopping: Promise<void> | undefined;
      const interrupted: ProjectionRunner = spec.scenario.run(projection, {
        batchSize: 7,
        onBatch: () => {
          batches += 1;
          if (batches === 3) stopping = interrupted.stop();
        },
      });
      await expect(interrupted.caughtUp()).rejects.toBeInstanceOf(ProjectionStoppedError);
      await stopping;
      expect(interrupted.status().eventsApplied).toBe(21);
    }
    const partial = await snapshot(spec.scenario.readModel.db);
    expect(partial['task_executions']!.length).toBeLessThan(30 * 3);

    const resumed = bothProjections().map((projection) => spec.scenario.run(projection, { batchSize: 7 }));
    await Promise.all(resumed.map((runner) => runner.waitForPosition(lastPosition, 30_000)));

    expect(await snapshot(spec.scenario.readModel.db)).toEqual(await reference());
  });

  it('given a batch that fails half-way, when the runner applies its events one by one, then nothing of the failed batch was kept twice, every event counts once, and nothing is quarantined', async () => {
    await givenExecutions(10);
    const inner = new TaskExecutionsProjection();
    let batches = 0;
    const failing: Projection = {
      name: inner.name,
      streamNamePrefixes: inner.streamNamePrefixes,
      async applyBatch(trx, events) {
        await inner.applyBatch(trx, events);
        batches += 1;
        if (batches === 2) throw new Error('disk full (test)');
      },
    };
    const runner = await spec.scenario.whenCaughtUp(failing, { batchSize: 5 });

    expect(await spec.scenario.rows('task_executions')).toHaveLength(10 * 2 + 1);
    expect(spec.scenario.logger.lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(spec.scenario.logger.lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([expect.stringMatching(/task-executions: a batch of 5 events failed \(disk full \(test\)\); applying them one by one/)]);
    expect(await new QuarantineRepository(spec.scenario.readModel.db).list()).toEqual([]);
    expect(runner.status()).toEqual(expect.objectContaining({ failures: 0 }));
  });

  it('given two runners of one projection on one database (two replicas), when both run, then every event is applied once', async () => {
    await givenExecutions(40);
    const url = await scratch.url();
    const replicas = await Promise.all([1, 2].map(() => scratch.openReadModel({ busyTimeoutMs: 20 }, url)));
    const runners = replicas.map((replica) => new ProjectionRunner({
      store: spec.scenario.store, db: replica.db, projection: new TaskExecutionsProjection(), batchSize: 10, logger: spec.scenario.logger, retry: { initialMs: 1, maxMs: 20 },
    }));
    runners.forEach((runner) => runner.start());
    await Promise.all(runners.map((runner) => runner.waitForPosition(lastPosition, 30_000)));
    await Promise.all(runners.map((runner) => runner.stop()));

    const rows = await replicas[0]!.db.selectFrom('task_executions').select(['task_id', 'status']).execute();
    expect(rows).toHaveLength(40 * 2 + 1);
    expect(rows.filter((row) => row.status === 'COMPLETED')).toHaveLength(40 * 2);
    expect(runners.reduce((sum, runner) => sum + runner.status().eventsApplied, 0)).toBe(40 * 6 + 3);
  });

  describe('waitForPosition', () => {
    it('given an append after catching up, then it resolves once that event is applied', async () => {
      const runner = await spec.scenario.whenCaughtUp(new ExecutionIndexProjection());
      const { position } = await spec.scenario.given('e1', [h.started('e1')]);
      await runner.waitForPosition(position, 5_000);
      expect(await spec.scenario.rows('executions')).toHaveLength(1);
      await expect(runner.waitForPosition(position, 1)).resolves.toBeUndefined();
    });

    it('given a position the log has not reached, then it rejects after the timeout', async () => {
      const runner = await spec.scenario.whenCaughtUp(new ExecutionIndexProjection());
      const beyond = { commit: 2n ** 62n, prepare: 2n ** 62n };
      await expect(runner.waitForPosition(beyond, 20)).rejects.toBeInstanceOf(ProjectionWaitTimeoutError);
    });

    it('given the runner stops, then pending waits reject and new ones too', async () => {
      const runner = await spec.scenario.whenCaughtUp(new ExecutionIndexProjection());
      const pending = runner.waitForPosition({ commit: 2n ** 62n, prepare: 2n ** 62n }, 10_000);
      await runner.stop();
      await expect(pending).rejects.toBeInstanceOf(ProjectionStoppedError);
      await expect(runner.waitForPosition({ commit: 2n ** 62n, prepare: 2n ** 62n })).rejects.toBeInstanceOf(ProjectionStoppedError);
    });
  });

  it('given many events of other streams after the last execution event, when caught up, then the stored checkpoint is past them', async () => {
    const { position: executionPosition } = await spec.scenario.given('e1', [h.started('e1')]);
    let definitionPosition = executionPosition;
    for (let index = 0; index < 100; index += 1) definitionPosition = (await spec.scenario.givenStream(`definition-d${index}`, [{ type: 'DefinitionRegistered', data: { index } }])).position;
    const runner = await spec.scenario.whenCaughtUp(new ExecutionIndexProjection());
    const stored = await new CheckpointRepository(spec.scenario.readModel.db).load('execution-index');
    expect(stored.position).toEqual(definitionPosition);
    expect(runner.status().eventsApplied).toBe(1);
  });

  it('given the store is unreachable and then drops the subscription, when it comes back, then the runner resubscribes from its checkpoint', async () => {
    await givenExecutions(10);
    const flaky = new FlakyEventStore(spec.scenario.store);
    flaky.failSubscribes = 2;
    flaky.breakAfterMessages = 15;
    const runner = await spec.scenario.whenCaughtUp(new TaskExecutionsProjection(), { store: flaky.store, batchSize: 4 });

    expect(flaky.subscribeCalls).toBe(4);
    expect(spec.scenario.logger.lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
      expect.stringMatching(/store unreachable \(test\); resubscribing/),
      expect.stringMatching(/store unreachable \(test\); resubscribing/),
      expect.stringMatching(/connection lost \(test\); resubscribing/),
    ]);
    expect(await spec.scenario.rows('task_executions')).toHaveLength(10 * 2 + 1);
    expect(runner.status()).toEqual(expect.objectContaining({ state: 'live', failures: 0, eventsApplied: 10 * 6 + 3 }));
  });

  it('given a store that never answers, when stopped, then caughtUp rejects and the status says stopped with the last error', async () => {
    const flaky = new FlakyEventStore(new InMemoryEventStore());
    flaky.failSubscribes = Number.POSITIVE_INFINITY;
    const runner = spec.scenario.run(new ExecutionIndexProjection(), { store: flaky.store });
    const caughtUp = runner.caughtUp();
    await waitFor('two failed subscriptions', () => runner.status().failures >= 2, { timeoutMs: 5_000, intervalMs: 1 });
    expect(runner.status()).toEqual(expect.objectContaining({ state: 'retrying', caughtUp: false, lastError: expect.objectContaining({ message: 'store unreachable (test)' }) }));
    await runner.stop();
    await expect(caughtUp).rejects.toBeInstanceOf(ProjectionStoppedError);
    expect(runner.status().state).toBe('stopped');
  });

  it('given 10,000 events, when the projections catch up, then every row is there (rate logged)', async () => {
    const executions = 1_000;
    const tasks = 4;
    for (let index = 0; index < executions; index += 1) lastPosition = (await spec.scenario.given(`bulk-${index}`, completedExecution(`bulk-${index}`, tasks, index))).position;
    const rates: string[] = [];
    for (const projection of bothProjections()) {
      const started = performance.now();
      const runner = await spec.scenario.whenCaughtUp(projection);
      const seconds = (performance.now() - started) / 1000;
      const events = runner.status().eventsApplied;
      expect(events).toBe(executions * (tasks * 2 + 2));
      rates.push(`${projection.name}: ${events} events in ${seconds.toFixed(2)} s = ${Math.round(events / seconds)} events/s`);
    }
    console.log(`[${dialect}] projection rate — ${rates.join('; ')}`);
    expect(await spec.scenario.rows('executions')).toHaveLength(executions);
    expect(await spec.scenario.rows('task_executions')).toHaveLength(executions * tasks);
    expect(await spec.scenario.rows('pending_tasks')).toEqual([]);
  });
});
