import type { ExecutionEvent } from '@app/domain';
import { history as h } from '@app/testing/projections/execution-history';
import { ProjectionScenario } from '@app/testing/projections/projection-scenario';
import { ReadModelScratch, TEST_DIALECTS } from '@app/testing/projections/read-model-scratch';
import { ExecutionIndexProjection } from './execution-index.projection';
import { ExecutionIndex } from './execution-index.repository';

const throttled = (taskId: string, at: number): ExecutionEvent => ({ type: 'TaskThrottled', data: { taskId, reason: 'CONCURRENCY_LIMIT', limit: 2, at } });
const dispatched = (taskId: string, at: number): ExecutionEvent => ({ type: 'TaskDispatched', data: { taskId, at } });

describe.each(TEST_DIALECTS)("the console's queries over the execution index on %s", (dialect) => {
  const scratch = new ReadModelScratch(dialect);
  let scenario: ProjectionScenario;
  let index: ExecutionIndex;

  beforeAll(async () => {
    scenario = await ProjectionScenario.open(scratch);
    index = new ExecutionIndex(scenario.readModel.db, scenario.readModel.dialect);
    // Given: two versions of a workflow over time, a failed order with its compensation, a parent and its child, throttled tasks.
    await scenario.given('o-1', [h.started('o-1', { workflowName: 'order', version: 1, at: 1_000 }), h.executionCompleted(1_500)]);
    await scenario.given('o-2', [h.started('o-2', { workflowName: 'order', version: 2, at: 2_000 }), h.executionFailed(2_500, 'no stock', 'reserve')]);
    await scenario.given('o-3', [h.started('o-3', { workflowName: 'order', version: 2, at: 3_000 })]);
    await scenario.given('comp-1', [h.started('comp-1', { workflowName: 'compensation', idempotencyKey: 'failure:o-2:4', at: 3_100 })]);
    await scenario.given('comp-x', [h.started('comp-x', { workflowName: 'compensation', idempotencyKey: 'failure:o-22:4', at: 3_200 })]);
    await scenario.given('child-1', [h.started('child-1', { workflowName: 'child', parentExecutionId: 'o-3', at: 3_300 })]);
    await scenario.given('o-3', [
      h.scheduled('t-1', { def: 'charge', at: 3_010 }), throttled('t-1', 3_011),
      h.scheduled('t-2', { def: 'charge', at: 3_020 }), throttled('t-2', 3_021), dispatched('t-2', 3_500),
      h.scheduled('t-3', { def: 'ship', at: 3_030 }), h.progress('t-3', 3_040),
    ]);
    await scenario.whenCaughtUp(new ExecutionIndexProjection());
  });
  afterAll(async () => {
    await scenario.close();
    await scratch.dispose();
  });

  const ids = (results: readonly { executionId: string }[]) => results.map((result) => result.executionId);

  it('given a version, then only executions of that version', async () => {
    expect(ids((await index.searchExecutions({ workflowName: 'order', workflowVersion: 2 })).results)).toEqual(['o-3', 'o-2']);
  });

  it('given a time window, then executions started inside it (from inclusive, to exclusive)', async () => {
    expect(ids((await index.searchExecutions({ createdFrom: 2_000, createdTo: 3_100 })).results)).toEqual(['o-3', 'o-2']);
  });

  it('given a search, then counts per status over its other filters', async () => {
    expect(await index.statusCounts({ workflowName: 'order', status: 'RUNNING' })).toEqual({ COMPLETED: 1, FAILED: 1, RUNNING: 1 });
    expect(await index.statusCounts({ createdFrom: 3_000 })).toEqual({ RUNNING: 4 });
  });

  it('given a status filter, then one page with the total of those statuses and the counts of all', async () => {
    const result = await index.searchWithCounts({ workflowName: 'order', status: ['COMPLETED', 'FAILED'], size: 1 });
    expect(result).toMatchObject({ totalHits: 2, statusCounts: { COMPLETED: 1, FAILED: 1, RUNNING: 1 } });
    expect(ids(result.results)).toEqual(['o-2']);
    expect((await index.searchWithCounts({ freeText: 'COMP' })).totalHits).toBe(2);
  });

  it("given a parent, then its children; given a failed execution, then the failure workflows started for it (and no other's)", async () => {
    expect(ids(await index.childrenOf('o-3'))).toEqual(['child-1']);
    expect(ids(await index.withIdempotencyKeyPrefix('failure:o-2:'))).toEqual(['comp-1']);
    expect(await index.withIdempotencyKeyPrefix('failure:o-9:')).toEqual([]);
  });

  it('given throttled tasks, then those still waiting (a dispatched one no more) and counts per task type', async () => {
    expect(await index.throttledTasks()).toEqual([expect.objectContaining({ taskId: 't-1', executionId: 'o-3', taskDefName: 'charge', reason: 'CONCURRENCY_LIMIT', limit: 2, throttledAt: 3_011 })]);
    expect(await index.pendingTaskCounts()).toEqual([
      { taskDefName: 'charge', taskType: 'SIMPLE', scheduled: 2, inProgress: 0, throttled: 1, oldestScheduledAt: 3_010 },
      { taskDefName: 'ship', taskType: 'SIMPLE', scheduled: 0, inProgress: 1, throttled: 0, oldestScheduledAt: 3_030 },
    ]);
  });
});
