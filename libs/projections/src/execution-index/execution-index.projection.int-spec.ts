import { history as h } from '@app/testing/projections/execution-history';
import { scenarioPerTest } from '@app/testing/projections/projection-scenario';
import { TEST_DIALECTS } from '@app/testing/projections/read-model-scratch';
import { ExecutionIndexProjection } from './execution-index.projection';

describe.each(TEST_DIALECTS)('ExecutionIndexProjection on %s', (dialect) => {
  const spec = scenarioPerTest(dialect);

  const whenCaughtUp = () => spec.scenario.whenCaughtUp(new ExecutionIndexProjection());

  describe('executions', () => {
    it('given ExecutionStarted, when caught up, then a RUNNING row with the start data', async () => {
      await spec.scenario.given('e1', [h.started('e1', { workflowName: 'order', version: 3, correlationId: 'o-1', idempotencyKey: 'k-1', parentExecutionId: 'p-1', input: { orderId: 7 }, at: 1_000 })]);
      await whenCaughtUp();
      expect(await spec.scenario.rows('executions')).toEqual([{
        execution_id: 'e1', workflow_name: 'order', workflow_version: 3, status: 'RUNNING', correlation_id: 'o-1', idempotency_key: 'k-1',
        parent_execution_id: 'p-1', created_at: 1_000, updated_at: 1_000, ended_at: null, reason: null, input: '{"orderId":7}', output: null, failed_task_ref: null,
      }]);
    });

    it('given later events, when caught up, then updated_at is the latest event time', async () => {
      await spec.scenario.given('e1', [h.started('e1', { at: 1_000 }), h.scheduled('t1', { at: 1_500 }), h.progress('t1', 2_000)]);
      await whenCaughtUp();
      expect(await spec.scenario.rows('executions')).toEqual([expect.objectContaining({ status: 'RUNNING', updated_at: 2_000 })]);
    });

    it.each([
      ['ExecutionCompleted', h.executionCompleted(5_000, { total: 3 }), { status: 'COMPLETED', reason: null, output: '{"total":3}', failed_task_ref: null }],
      ['ExecutionFailed', h.executionFailed(5_000, 'charge failed', 'charge'), { status: 'FAILED', reason: 'charge failed', output: '{}', failed_task_ref: 'charge' }],
      ['ExecutionTerminated', h.executionTerminated(5_000, 'by operator'), { status: 'TERMINATED', reason: 'by operator', output: '{}', failed_task_ref: null }],
      ['ExecutionTimedOut (not emitted yet)', { type: 'ExecutionTimedOut', data: { reason: 'workflow timeout', at: 5_000 } }, { status: 'TIMED_OUT', reason: 'workflow timeout', output: null, failed_task_ref: null }],
    ])('given %s, when caught up, then the execution has ended with its status, reason and output', async (_name, ending, expected) => {
      await spec.scenario.given('e1', [h.started('e1'), ending]);
      await whenCaughtUp();
      expect(await spec.scenario.rows('executions')).toEqual([expect.objectContaining({ ...expected, ended_at: 5_000, updated_at: 5_000 })]);
    });

    it('given pause and resume events, when caught up, then the status follows them', async () => {
      await spec.scenario.given('e1', [h.started('e1'), { type: 'ExecutionPaused', data: { at: 2_000 } }]);
      await spec.scenario.given('e2', [h.started('e2'), { type: 'ExecutionPaused', data: { at: 2_000 } }, { type: 'ExecutionResumed', data: { at: 3_000 } }]);
      await whenCaughtUp();
      expect((await spec.scenario.rows('executions', 'execution_id')).map((row) => row.status)).toEqual(['PAUSED', 'RUNNING']);
    });

    it('given events of unknown types, when caught up, then they are skipped', async () => {
      await spec.scenario.given('e1', [h.started('e1', { at: 1_000 }), { type: 'SomethingNew', data: { at: 9_000 } }]);
      await whenCaughtUp();
      expect(await spec.scenario.rows('executions')).toEqual([expect.objectContaining({ status: 'RUNNING', updated_at: 1_000 })]);
    });
  });

  describe('pending_tasks', () => {
    it('given TaskScheduled, when caught up, then a SCHEDULED row', async () => {
      await spec.scenario.given('e1', [h.started('e1'), h.scheduled('t1', { ref: 'charge', def: 'charge_card', attempt: 2, at: 1_100 })]);
      await whenCaughtUp();
      expect(await spec.scenario.rows('pending_tasks')).toEqual([{
        task_id: 't1', execution_id: 'e1', task_def_name: 'charge_card', task_ref_name: 'charge', task_type: 'SIMPLE', attempt: 2, status: 'SCHEDULED', scheduled_at: 1_100, updated_at: 1_100,
        throttled_reason: null, throttled_limit: null, throttled_at: null,
      }]);
    });

    it('given TaskProgressReported in a later batch, when caught up, then the row is IN_PROGRESS', async () => {
      await spec.scenario.given('e1', [h.started('e1'), h.scheduled('t1', { at: 1_100 })]);
      const runner = await whenCaughtUp();
      const { position } = await spec.scenario.given('e1', [h.progress('t1', 1_300)]);
      await runner.waitForPosition(position);
      expect(await spec.scenario.rows('pending_tasks')).toEqual([expect.objectContaining({ task_id: 't1', status: 'IN_PROGRESS', scheduled_at: 1_100, updated_at: 1_300 })]);
    });

    it.each([
      ['TaskCompleted', h.completed('t1', 1_500)],
      ['TaskFailed', h.failed('t1', 1_500)],
      ['TaskTimedOut', h.timedOut('t1', 1_500)],
      ['TaskCanceled', h.canceled('t1', 1_500)],
    ])('given %s, when caught up, then the row is gone (same batch and later batch)', async (_name, ending) => {
      await spec.scenario.given('e1', [h.started('e1'), h.scheduled('t1'), h.scheduled('t2'), ending]);
      const runner = await whenCaughtUp();
      expect((await spec.scenario.rows('pending_tasks')).map((row) => row.task_id)).toEqual(['t2']);
      const { position } = await spec.scenario.given('e1', [{ ...ending, data: { ...ending.data, taskId: 't2' } }]);
      await runner.waitForPosition(position);
      expect(await spec.scenario.rows('pending_tasks')).toEqual([]);
    });

    it.each([
      ['ExecutionCompleted', h.executionCompleted(3_000)],
      ['ExecutionFailed', h.executionFailed(3_000)],
      ['ExecutionTerminated', h.executionTerminated(3_000)],
      ['ExecutionTimedOut', { type: 'ExecutionTimedOut', data: { at: 3_000 } }],
    ])('given %s with tasks and timers left, when caught up, then that execution has no pending task or timer', async (_name, ending) => {
      await spec.scenario.given('e1', [h.started('e1'), h.scheduled('t1'), h.scheduled('t2'), h.progress('t2', 1_200), h.timerStarted('w', 9_000)]);
      await spec.scenario.given('other', [h.started('other'), h.scheduled('o1'), h.timerStarted('w', 9_000)]);
      const runner = await whenCaughtUp();
      const { position } = await spec.scenario.given('e1', [ending]);
      await runner.waitForPosition(position);
      expect((await spec.scenario.rows('pending_tasks')).map((row) => row.task_id)).toEqual(['o1']);
      expect((await spec.scenario.rows('timers')).map((row) => row.execution_id)).toEqual(['other']);
    });

    it('given an execution that ends and then schedules again in one batch, when caught up, then only the new task is pending', async () => {
      await spec.scenario.given('e1', [h.started('e1'), h.scheduled('t1')]);
      const runner = await whenCaughtUp();
      const { position } = await spec.scenario.given('e1', [h.executionFailed(2_000), { type: 'ExecutionResumed', data: { at: 2_100 } }, h.scheduled('t2', { at: 2_200 })]);
      await runner.waitForPosition(position);
      expect((await spec.scenario.rows('pending_tasks')).map((row) => row.task_id)).toEqual(['t2']);
    });
  });

  describe('timers', () => {
    it('given TimerStarted, when caught up, then a row with due time and purpose; TimerFired removes it', async () => {
      await spec.scenario.given('e1', [h.started('e1'), h.timerStarted('retry-1', 60_000, { kind: 'RETRY', taskRefName: 'charge', retriedTaskId: 't1' }), h.timerStarted('wait-1', 70_000, { kind: 'WAIT', taskId: 't2' })]);
      const runner = await whenCaughtUp();
      expect(await spec.scenario.rows('timers', 'timer_id')).toEqual([
        { execution_id: 'e1', timer_id: 'retry-1', due_at: 60_000, purpose_kind: 'RETRY', task_id: null },
        { execution_id: 'e1', timer_id: 'wait-1', due_at: 70_000, purpose_kind: 'WAIT', task_id: 't2' },
      ]);
      const { position } = await spec.scenario.given('e1', [h.timerFired('retry-1', 60_001)]);
      await runner.waitForPosition(position);
      expect((await spec.scenario.rows('timers')).map((row) => row.timer_id)).toEqual(['wait-1']);
    });

    it("given a task's timers, when the task ends, then its timers are gone and others stay", async () => {
      await spec.scenario.given('e2', [
        h.started('e2'),
        h.scheduled('t7'),
        h.timerStarted('deadline-7', 90_000, { kind: 'TASK_TIMEOUT', taskId: 't7' }),
        h.timerStarted('retry-9', 95_000, { kind: 'RETRY', taskRefName: 'x', retriedTaskId: 't9' }),
      ]);
      const runner = await whenCaughtUp();
      const { position } = await spec.scenario.given('e2', [h.completed('t7', 91_000)]);
      await runner.waitForPosition(position);
      expect((await spec.scenario.rows('timers')).map((row) => row.timer_id)).toEqual(['retry-9']);
    });
  });

  it('given events of the same types in streams that are not executions, when caught up, then they are ignored', async () => {
    await spec.scenario.givenStream('definition-order', [h.started('x')]);
    await spec.scenario.givenStream('handler-order', [h.scheduled('x1')]);
    await spec.scenario.given('e1', [h.started('e1')]);
    await whenCaughtUp();
    expect((await spec.scenario.rows('executions')).map((row) => row.execution_id)).toEqual(['e1']);
    expect(await spec.scenario.rows('pending_tasks')).toEqual([]);
  });
});
