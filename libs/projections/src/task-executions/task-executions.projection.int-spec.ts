import { history as h } from '@app/testing/projections/execution-history';
import { scenarioPerTest } from '@app/testing/projections/projection-scenario';
import { TEST_DIALECTS } from '@app/testing/projections/read-model-scratch';
import { TaskExecutionsProjection } from './task-executions.projection';
import { TaskExecutionsReport } from './task-executions.repository';

describe.each(TEST_DIALECTS)('TaskExecutionsProjection on %s', (dialect) => {
  const spec = scenarioPerTest(dialect);

  const whenCaughtUp = () => spec.scenario.whenCaughtUp(new TaskExecutionsProjection());

  it('given TaskScheduled, when caught up, then a SCHEDULED attempt with its workflow name', async () => {
    await spec.scenario.given('e1', [h.started('e1', { workflowName: 'order' }), h.scheduled('t1', { ref: 'charge', def: 'charge_card', attempt: 2, at: 1_100 })]);
    await whenCaughtUp();
    expect(await spec.scenario.rows('task_executions')).toEqual([{
      task_id: 't1', execution_id: 'e1', workflow_name: 'order', task_def_name: 'charge_card', task_ref_name: 'charge', task_type: 'SIMPLE', attempt: 2,
      status: 'SCHEDULED', scheduled_at: 1_100, started_at: null, ended_at: null, queue_wait_ms: null, duration_ms: null, worker_id: null, reason: null,
    }]);
  });

  it('given the start and the schedule in different batches, when caught up, then the workflow name is still known', async () => {
    await spec.scenario.given('e1', [h.started('e1', { workflowName: 'order' })]);
    const runner = await whenCaughtUp();
    const { position } = await spec.scenario.given('e1', [h.scheduled('t1')]);
    await runner.waitForPosition(position);
    expect(await spec.scenario.rows('task_executions')).toEqual([expect.objectContaining({ task_id: 't1', workflow_name: 'order' })]);
  });

  it('given progress then completion in later batches, when caught up, then queue wait, duration and worker are set', async () => {
    await spec.scenario.given('e1', [h.started('e1'), h.scheduled('t1', { at: 1_000 })]);
    const runner = await whenCaughtUp();
    await runner.waitForPosition((await spec.scenario.given('e1', [h.progress('t1', 1_250, 'w-7'), h.progress('t1', 1_400, 'w-7')])).position);
    expect(await spec.scenario.rows('task_executions')).toEqual([expect.objectContaining({ status: 'IN_PROGRESS', started_at: 1_250, queue_wait_ms: 250, worker_id: 'w-7' })]);
    await runner.waitForPosition((await spec.scenario.given('e1', [h.completed('t1', 2_000, 'w-7')])).position);
    expect(await spec.scenario.rows('task_executions')).toEqual([expect.objectContaining({ status: 'COMPLETED', started_at: 1_250, ended_at: 2_000, queue_wait_ms: 250, duration_ms: 750, worker_id: 'w-7', reason: null })]);
  });

  it.each([
    ['TaskFailed', h.failed('t1', 1_600, { reason: 'declined' }), { status: 'FAILED', reason: 'declined', worker_id: 'worker-1' }],
    ['TaskFailed (terminal)', h.failed('t1', 1_600, { reason: 'fraud', terminal: true }), { status: 'FAILED_WITH_TERMINAL_ERROR', reason: 'fraud', worker_id: 'worker-1' }],
    ['TaskTimedOut', h.timedOut('t1', 1_600), { status: 'TIMED_OUT', reason: 'response timeout', worker_id: null }],
    ['TaskCanceled', h.canceled('t1', 1_600), { status: 'CANCELED', reason: 'execution ended', worker_id: null }],
    ['TaskCompleted without a progress report', h.completed('t1', 1_600), { status: 'COMPLETED', reason: null, worker_id: 'worker-1' }],
  ])('given %s, when caught up, then the attempt ended with that status; its duration runs from scheduling', async (_name, ending, expected) => {
    await spec.scenario.given('e1', [h.started('e1'), h.scheduled('t1', { at: 1_000 }), ending]);
    await whenCaughtUp();
    expect(await spec.scenario.rows('task_executions')).toEqual([expect.objectContaining({ ...expected, ended_at: 1_600, duration_ms: 600, started_at: null, queue_wait_ms: null })]);
  });

  it('given retries, when caught up, then one row per attempt', async () => {
    await spec.scenario.given('e1', [h.started('e1'), h.scheduled('t1', { ref: 'charge' }), h.failed('t1', 1_100), h.timerStarted('retry', 2_000), h.timerFired('retry', 2_000), h.scheduled('t2', { ref: 'charge', attempt: 2, at: 2_000 }), h.completed('t2', 2_300), h.executionCompleted(2_400)]);
    await whenCaughtUp();
    expect((await spec.scenario.rows('task_executions', 'task_id')).map((row) => [row.task_id, row.attempt, row.status])).toEqual([['t1', 1, 'FAILED'], ['t2', 2, 'COMPLETED']]);
  });

  it('given attempts of several task types, when asked for stats, then counts by status, average and median durations per type', async () => {
    await spec.scenario.given('e1', [
      h.started('e1', { workflowName: 'order' }),
      h.scheduled('c1', { def: 'charge', at: 1_000 }), h.progress('c1', 1_100), h.completed('c1', 1_200),
      h.scheduled('c2', { def: 'charge', at: 1_000 }), h.completed('c2', 1_400),
      h.scheduled('c3', { def: 'charge', at: 1_000 }), h.progress('c3', 1_300), h.failed('c3', 2_300),
      h.scheduled('c4', { def: 'charge', at: 1_000 }),
      h.scheduled('s1', { def: 'ship', at: 5_000 }), h.completed('s1', 5_050),
    ]);
    await spec.scenario.given('e2', [h.started('e2', { workflowName: 'refund' }), h.scheduled('s2', { def: 'ship', at: 9_000 }), h.completed('s2', 9_010)]);
    await whenCaughtUp();
    const report = new TaskExecutionsReport(spec.scenario.readModel.db);

    expect(await report.taskStats()).toEqual([
      // durations: c1 100 (from start), c2 400 (from scheduling), c3 1000 → median 400
      { taskDefName: 'charge', taskType: 'SIMPLE', total: 4, byStatus: { COMPLETED: 2, FAILED: 1, SCHEDULED: 1 }, avgDurationMs: 500, p50DurationMs: 400, avgQueueWaitMs: 200 },
      { taskDefName: 'ship', taskType: 'SIMPLE', total: 2, byStatus: { COMPLETED: 2 }, avgDurationMs: 30, p50DurationMs: 10, avgQueueWaitMs: null },
    ]);
    expect(await report.taskStats({ taskDefName: 'ship', sinceMs: 6_000 })).toEqual([
      { taskDefName: 'ship', taskType: 'SIMPLE', total: 1, byStatus: { COMPLETED: 1 }, avgDurationMs: 10, p50DurationMs: 10, avgQueueWaitMs: null },
    ]);
    expect((await report.taskStats({ workflowName: 'order' })).map((stats) => [stats.taskDefName, stats.total])).toEqual([['charge', 4], ['ship', 1]]);
    expect(await report.taskStats({ sinceMs: 99_999 })).toEqual([]);
  });
});
