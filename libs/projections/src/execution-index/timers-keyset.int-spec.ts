import { history as h } from '@app/testing/projections/execution-history';
import { ProjectionScenario } from '@app/testing/projections/projection-scenario';
import { ReadModelScratch, TEST_DIALECTS } from '@app/testing/projections/read-model-scratch';
import { ExecutionIndexProjection } from './execution-index.projection';
import { ExecutionIndex } from './execution-index.repository';

describe.each(TEST_DIALECTS)('timersDueBefore keyset paging on %s', (dialect) => {
  const scratch = new ReadModelScratch(dialect);
  let scenario: ProjectionScenario;
  let index: ExecutionIndex;

  beforeAll(async () => {
    scenario = await ProjectionScenario.open(scratch);
    index = new ExecutionIndex(scenario.readModel.db, scenario.readModel.dialect);
    // Given: seven timers, several due at the same instant, over two executions.
    await scenario.given('ex-a', [h.started('ex-a', { workflowName: 'wf', at: 1_000 }), h.timerStarted('t1', 10_000), h.timerStarted('t2', 20_000), h.timerStarted('t3', 20_000), h.timerStarted('t4', 40_000)]);
    await scenario.given('ex-b', [h.started('ex-b', { workflowName: 'wf', at: 1_000 }), h.timerStarted('t1', 20_000), h.timerStarted('t2', 30_000), h.timerStarted('t9', 90_000)]);
    await scenario.whenCaughtUp(new ExecutionIndexProjection());
  });
  afterAll(async () => {
    await scenario.close();
    await scratch.dispose();
  });

  it('given a window holding more timers than a page, when paged after the last timer of each page, then every timer of the window comes once, in order', async () => {
    const seen: string[] = [];
    let after: { dueAt: number; executionId: string; timerId: string } | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await index.timersDueBefore(50_000, 2, after);
      if (page.length === 0) break;
      seen.push(...page.map((timer) => `${timer.executionId}/${timer.timerId}`));
      after = page[page.length - 1];
    }

    expect(seen).toEqual(['ex-a/t1', 'ex-a/t2', 'ex-a/t3', 'ex-b/t1', 'ex-b/t2', 'ex-a/t4']);
  });

  it('given a cursor in the middle of timers due at the same instant, when paged, then the page starts right after it', async () => {
    const page = await index.timersDueBefore(50_000, 10, { dueAt: 20_000, executionId: 'ex-a', timerId: 't3' });

    expect(page.map((timer) => `${timer.executionId}/${timer.timerId}`)).toEqual(['ex-b/t1', 'ex-b/t2', 'ex-a/t4']);
  });
});
