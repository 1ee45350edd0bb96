import { sql } from 'kysely';
import { history as h } from '@app/testing/projections/execution-history';
import { ProjectionScenario } from '@app/testing/projections/projection-scenario';
import { ReadModelScratch, TEST_DIALECTS } from '@app/testing/projections/read-model-scratch';
import { ExecutionIndexProjection } from './execution-index.projection';
import { ExecutionIndex } from './execution-index.repository';
import { InvalidSearchError } from './execution-search';

describe.each(TEST_DIALECTS)('ExecutionIndex queries on %s', (dialect) => {
  const scratch = new ReadModelScratch(dialect);
  let scenario: ProjectionScenario;
  let index: ExecutionIndex;

  beforeAll(async () => {
    scenario = await ProjectionScenario.open(scratch);
    index = new ExecutionIndex(scenario.readModel.db, scenario.readModel.dialect);
    // Given: five executions of two workflows in every state the searches tell apart.
    await scenario.given('ord-1', [h.started('ord-1', { workflowName: 'order', correlationId: 'cust-A', at: 1_000 })]);
    await scenario.given('ord-2', [h.started('ord-2', { workflowName: 'order', correlationId: 'cust-A', at: 2_000 }), h.executionCompleted(2_500)]);
    await scenario.given('ord-3', [h.started('ord-3', { workflowName: 'order', correlationId: 'cust-B', at: 3_000 }), h.executionFailed(3_900, 'no stock', 'reserve')]);
    await scenario.given('pay-1', [h.started('pay-1', { workflowName: 'payment_100%', correlationId: 'Cust-A', at: 4_000 })]);
    await scenario.given('pay-2', [h.started('pay-2', { workflowName: 'payment_100%', at: 5_000 }), { type: 'ExecutionPaused', data: { at: 5_100 } }]);
    // Pending tasks: two types, both states.
    await scenario.given('ord-1', [
      h.scheduled('task-a', { def: 'charge' }), h.scheduled('task-b', { def: 'charge' }), h.progress('task-b', 1_100),
      h.scheduled('task-c', { def: 'ship' }), h.scheduled('task-d', { def: 'charge' }),
      h.timerStarted('t-late', 90_000), h.timerStarted('t-soon', 10_000), h.timerStarted('t-mid', 50_000),
    ]);
    await scenario.given('pay-1', [h.scheduled('task-e', { def: 'charge' }), h.timerStarted('t-same', 50_000)]);
    await scenario.whenCaughtUp(new ExecutionIndexProjection());
  });
  afterAll(async () => {
    await scenario.close();
    await scratch.dispose();
  });

  const ids = (results: readonly { executionId: string }[]) => results.map((result) => result.executionId);

  describe('searchExecutions', () => {
    it('given no filter, then every execution, newest first', async () => {
      const result = await index.searchExecutions();
      expect(result.totalHits).toBe(5);
      expect(ids(result.results)).toEqual(['pay-2', 'pay-1', 'ord-3', 'ord-2', 'ord-1']);
    });

    it('given a workflow name, then only its executions', async () => {
      expect(ids((await index.searchExecutions({ workflowName: 'order' })).results)).toEqual(['ord-3', 'ord-2', 'ord-1']);
    });

    it('given one or several statuses, then executions in them', async () => {
      expect(ids((await index.searchExecutions({ status: 'RUNNING' })).results)).toEqual(['pay-1', 'ord-1']);
      expect(ids((await index.searchExecutions({ status: ['COMPLETED', 'FAILED', 'PAUSED'] })).results)).toEqual(['pay-2', 'ord-3', 'ord-2']);
    });

    it('given a correlation id, then exact matches only', async () => {
      expect(ids((await index.searchExecutions({ correlationId: 'cust-A' })).results)).toEqual(['ord-2', 'ord-1']);
    });

    it('given free text, then case-insensitive substring matches of id, correlation id or workflow name', async () => {
      expect(ids((await index.searchExecutions({ freeText: 'CUST-a' })).results)).toEqual(['pay-1', 'ord-2', 'ord-1']);
      expect(ids((await index.searchExecutions({ freeText: 'ord-3' })).results)).toEqual(['ord-3']);
      expect(ids((await index.searchExecutions({ freeText: 'MENT_1' })).results)).toEqual(['pay-2', 'pay-1']);
      expect((await index.searchExecutions({ freeText: '*' })).totalHits).toBe(5);
    });

    it('given free text with LIKE wildcards, then they match literally', async () => {
      expect(ids((await index.searchExecutions({ freeText: '100%' })).results)).toEqual(['pay-2', 'pay-1']);
      expect((await index.searchExecutions({ freeText: 'ord_' })).totalHits).toBe(0);
    });

    it('given free text with quotes or FTS operators, then they match literally too', async () => {
      expect((await index.searchExecutions({ freeText: '"ord' })).totalHits).toBe(0);
      expect((await index.searchExecutions({ freeText: 'ord OR pay' })).totalHits).toBe(0);
      expect((await index.searchExecutions({ freeText: 'NEAR(ord' })).totalHits).toBe(0);
      expect(ids((await index.searchExecutions({ freeText: 'rd-' })).results)).toEqual(['ord-3', 'ord-2', 'ord-1']);
    });

    it('given executions started, updated and ended, then the trigram index follows them (and is the one used)', async () => {
      const db = scenario.readModel.db;
      if (dialect === 'sqlite') {
        // FTS5 checks its index against the executions table it points at: it throws when they differ.
        await expect(sql`insert into executions_text(executions_text, rank) values ('integrity-check', 1)`.execute(db)).resolves.toBeDefined();
        const plan = await sql<{ detail: string }>`explain query plan select execution_id from executions where rowid in (select rowid from executions_text where executions_text match '"cust"')`.execute(db);
        expect(plan.rows.map((row) => row.detail).join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
      } else {
        const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'executions' and indexdef like '%gin_trgm_ops%' and schemaname = current_schema() order by indexname`.execute(db);
        expect(indexes.rows.map((row) => row.indexname)).toEqual(['executions_correlation_id_trgm_idx', 'executions_execution_id_trgm_idx', 'executions_workflow_name_trgm_idx']);
      }
    });

    it('given filters together, then all of them apply', async () => {
      const result = await index.searchExecutions({ workflowName: 'order', status: 'RUNNING', correlationId: 'cust-A', freeText: 'ord' });
      expect(ids(result.results)).toEqual(['ord-1']);
    });

    it('given paging, then pages of the sorted hits and the total', async () => {
      const first = await index.searchExecutions({ sort: 'createdAt:ASC', start: 0, size: 2 });
      const second = await index.searchExecutions({ sort: 'createdAt:ASC', start: 2, size: 2 });
      const last = await index.searchExecutions({ sort: 'createdAt:ASC', start: 4, size: 2 });
      expect([first.totalHits, second.totalHits, last.totalHits]).toEqual([5, 5, 5]);
      expect([ids(first.results), ids(second.results), ids(last.results)]).toEqual([['ord-1', 'ord-2'], ['ord-3', 'pay-1'], ['pay-2']]);
      expect(await index.searchExecutions({ start: 10 })).toEqual({ totalHits: 5, results: [] });
    });

    it('given sorts on other fields, then ties broken by id in the same direction and missing values last', async () => {
      expect(ids((await index.searchExecutions({ sort: 'workflowName:DESC' })).results)).toEqual(['pay-2', 'pay-1', 'ord-3', 'ord-2', 'ord-1']);
      expect(ids((await index.searchExecutions({ sort: 'endTime:ASC' })).results)).toEqual(['ord-2', 'ord-3', 'ord-1', 'pay-1', 'pay-2']);
      expect(ids((await index.searchExecutions({ sort: ['status:ASC', 'createdAt:DESC'] })).results)).toEqual(['ord-2', 'ord-3', 'pay-2', 'pay-1', 'ord-1']);
    });

    it('given a bad sort, then INVALID_SEARCH', async () => {
      await expect(index.searchExecutions({ sort: 'input:ASC' })).rejects.toBeInstanceOf(InvalidSearchError);
    });

    it('returns the whole summary of an execution', async () => {
      const [failed] = (await index.searchExecutions({ status: 'FAILED' })).results;
      expect(failed).toEqual({
        executionId: 'ord-3', workflowName: 'order', workflowVersion: 1, status: 'FAILED', correlationId: 'cust-B', createdAt: 3_000,
        updatedAt: 3_900, endedAt: 3_900, reason: 'no stock', input: {}, output: {}, failedTaskRef: 'reserve',
      });
      expect(await index.findExecution('ord-3')).toEqual(failed);
      expect(await index.findExecution('nope')).toBeUndefined();
    });
  });

  it('findByCorrelation: open executions of the workflow, or all with includeClosed, oldest first', async () => {
    expect(ids(await index.findByCorrelation('order', 'cust-A'))).toEqual(['ord-1']);
    expect(ids(await index.findByCorrelation('order', 'cust-A', { includeClosed: true }))).toEqual(['ord-1', 'ord-2']);
    expect(await index.findByCorrelation('payment', 'cust-A')).toEqual([]);
  });

  describe('pendingTasks', () => {
    it('given a status and a task type, then those tasks by id', async () => {
      const scheduled = await index.pendingTasks({ status: 'SCHEDULED', taskDefName: 'charge' });
      expect(scheduled.map((task) => task.taskId)).toEqual(['task-a', 'task-d', 'task-e']);
      expect(await index.pendingTasks({ status: 'IN_PROGRESS' })).toEqual([{
        taskId: 'task-b', executionId: 'ord-1', taskDefName: 'charge', taskRefName: 'task-b', taskType: 'SIMPLE', attempt: 1, status: 'IN_PROGRESS', scheduledAt: 1_000, updatedAt: 1_100,
      }]);
    });

    it('pages through every SCHEDULED task with afterTaskId', async () => {
      const seen: string[] = [];
      let afterTaskId: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const tasks = await index.pendingTasks({ status: 'SCHEDULED', limit: 2, ...(afterTaskId === undefined ? {} : { afterTaskId }) });
        if (tasks.length === 0) break;
        seen.push(...tasks.map((task) => task.taskId));
        afterTaskId = tasks.at(-1)!.taskId;
      }
      expect(seen).toEqual(['task-a', 'task-c', 'task-d', 'task-e']);
    });
  });

  it('countActiveTasks counts SCHEDULED and IN_PROGRESS attempts of a task type', async () => {
    expect(await index.countActiveTasks('charge')).toBe(4);
    expect(await index.countActiveTasks('ship')).toBe(1);
    expect(await index.countActiveTasks('unknown')).toBe(0);
  });

  it('timersDueBefore: due at or before the instant, soonest first, ties by execution, at most limit', async () => {
    expect(await index.timersDueBefore(50_000, 10)).toEqual([
      { executionId: 'ord-1', timerId: 't-soon', dueAt: 10_000, purposeKind: 'WORKFLOW_TIMEOUT' },
      { executionId: 'ord-1', timerId: 't-mid', dueAt: 50_000, purposeKind: 'WORKFLOW_TIMEOUT' },
      { executionId: 'pay-1', timerId: 't-same', dueAt: 50_000, purposeKind: 'WORKFLOW_TIMEOUT' },
    ]);
    expect((await index.timersDueBefore(100_000, 2)).map((timer) => timer.timerId)).toEqual(['t-soon', 't-mid']);
    expect(await index.timersDueBefore(9_999, 10)).toEqual([]);
  });

  it('openExecutionCount counts RUNNING and PAUSED executions', async () => {
    expect(await index.openExecutionCount()).toBe(3);
  });
});
