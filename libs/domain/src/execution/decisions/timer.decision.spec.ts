import { simple, wait, workflow, type TaskDef } from '@app/domain';
import { completedEvent, deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const definition = workflow('timeouts').tasks(simple('work', 'work'), simple('after', 'after')).build();
const given = (taskDef: Partial<TaskDef>, extra: Parameters<ReturnType<typeof executionSpec>['given']>[0] = []) => [
  startedEvent(definition, { taskDefs: { work: { name: 'work', retryDelaySeconds: 0, ...taskDef } } }),
  scheduledEvent('exec-1-1', 'work', { at: 0 }),
  { type: 'TimerStarted' as const, data: { timerId: 't1', dueAt: 10_000, purpose: { kind: 'TASK_TIMEOUT' as const, taskId: 'exec-1-1' }, at: 0 } },
  ...extra,
];

describe('task deadlines (responseTimeoutSeconds, timeoutSeconds, totalTimeoutSeconds, timeoutPolicy)', () => {
  it('given no word from the worker, when the response timeout passes, then the attempt times out and is retried', () => {
    executionSpec()
      .given(given({ responseTimeoutSeconds: 10, retryCount: 1 }))
      .when({ type: 'FireTimer', timerId: 't1' }, { now: 10_000 })
      .thenMatches([
        { type: 'TimerFired', data: { timerId: 't1' } },
        { type: 'TaskTimedOut', data: { taskId: 'exec-1-1', timeout: 'RESPONSE_TIMEOUT' } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-2', attempt: 2, retriedTaskId: 'exec-1-1' } },
        { type: 'TimerStarted', data: { dueAt: 20_000, purpose: { kind: 'TASK_TIMEOUT', taskId: 'exec-1-2' } } },
      ]);
  });

  it('given a heartbeat at 5 s, when the 10 s response deadline timer fires, then nothing times out and the timer is armed for 15 s', () => {
    executionSpec()
      .given(given({ responseTimeoutSeconds: 10 }, [{ type: 'TaskProgressReported', data: { taskId: 'exec-1-1', workerId: 'w', at: 5_000 } }]))
      .when({ type: 'FireTimer', timerId: 't1' }, { now: 10_000 })
      .thenMatches([{ type: 'TimerFired' }, { type: 'TimerStarted', data: { dueAt: 15_000, purpose: { kind: 'TASK_TIMEOUT', taskId: 'exec-1-1' } } }]);
  });

  it('given no retries left, when the response timeout passes, then the execution is TIMED_OUT', () => {
    executionSpec()
      .given(given({ responseTimeoutSeconds: 10, retryCount: 0 }))
      .when({ type: 'FireTimer', timerId: 't1' }, { now: 10_000 })
      .thenMatches([{ type: 'TimerFired' }, { type: 'TaskTimedOut' }, { type: 'ExecutionTimedOut', data: { failedTaskRefName: 'work' } }])
      .andState((state) => expect(state.status).toBe('TIMED_OUT'));
  });

  it('given timeoutSeconds with TIME_OUT_WF, when the attempt runs too long, then the execution times out without retrying', () => {
    executionSpec()
      .given(given({ timeoutSeconds: 10, responseTimeoutSeconds: 10, timeoutPolicy: 'TIME_OUT_WF', retryCount: 3 }))
      .when({ type: 'FireTimer', timerId: 't1' }, { now: 10_000 })
      .thenMatches([{ type: 'TimerFired' }, { type: 'TaskTimedOut', data: { timeout: 'TASK_TIMEOUT' } }, { type: 'ExecutionTimedOut' }]);
  });

  it('given timeoutSeconds with RETRY, when the attempt runs too long, then it is retried', () => {
    executionSpec()
      .given(given({ timeoutSeconds: 10, responseTimeoutSeconds: 10, timeoutPolicy: 'RETRY', retryCount: 1 }))
      .when({ type: 'FireTimer', timerId: 't1' }, { now: 10_000 })
      .thenMatches([{ type: 'TimerFired' }, { type: 'TaskTimedOut', data: { timeout: 'TASK_TIMEOUT' } }, { type: 'TaskScheduled', data: { attempt: 2 } }, deadlineTimer()]);
  });

  it('given timeoutSeconds with ALERT_ONLY and a fresh heartbeat, when the attempt runs too long, then an alert is recorded and the task keeps running', () => {
    executionSpec()
      .given(given({ timeoutSeconds: 10, responseTimeoutSeconds: 60, timeoutPolicy: 'ALERT_ONLY' }, [{ type: 'TaskProgressReported', data: { taskId: 'exec-1-1', at: 9_000 } }]))
      .when({ type: 'FireTimer', timerId: 't1' }, { now: 10_000 })
      .thenMatches([
        { type: 'TimerFired' },
        { type: 'TimeoutAlerted', data: { taskId: 'exec-1-1' } },
        { type: 'TimerStarted', data: { dueAt: 69_000, purpose: { kind: 'TASK_TIMEOUT', taskId: 'exec-1-1' } } },
      ])
      .andState((state) => expect(state.tasks['exec-1-1']).toMatchObject({ status: 'IN_PROGRESS', timeoutAlerted: true }));
  });

  it('given retries left but totalTimeoutSeconds passed, when an attempt fails, then it is not retried', () => {
    executionSpec()
      .given(given({ totalTimeoutSeconds: 30, retryCount: 5 }))
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'boom' }, { now: 31_000 })
      .thenMatches([{ type: 'TaskFailed' }, { type: 'ExecutionFailed' }]);
  });

  it('given a completed task, when its old deadline timer fires, then it is no longer armed', () => {
    executionSpec()
      .given(given({ responseTimeoutSeconds: 10 }, [completedEvent('exec-1-1'), scheduledEvent('exec-1-2', 'after')]))
      .when({ type: 'FireTimer', timerId: 't1' }, { now: 10_000 })
      .thenIgnored('TIMER_NOT_ARMED');
  });
});

describe('workflow timeout', () => {
  const timed = (policy: 'TIME_OUT_WF' | 'ALERT_ONLY') => workflow('slow_flow').tasks(wait('hold')).timeout(60, policy).build();

  it('given a workflow timeoutSeconds, when it starts, then a WORKFLOW_TIMEOUT timer is armed', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: timed('TIME_OUT_WF'), taskDefs: {}, input: {} }, { now: 1_000 })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TimerStarted', data: { dueAt: 61_000, purpose: { kind: 'WORKFLOW_TIMEOUT' } } }, { type: 'TaskScheduled' }]);
  });

  it('given TIME_OUT_WF, when the workflow timeout fires, then pending tasks are canceled and the execution is TIMED_OUT', () => {
    executionSpec()
      .given([
        startedEvent(timed('TIME_OUT_WF')),
        { type: 'TimerStarted', data: { timerId: 't1', dueAt: 60_000, purpose: { kind: 'WORKFLOW_TIMEOUT' }, at: 0 } },
        scheduledEvent('exec-1-1', 'hold', { taskType: 'WAIT' }),
      ])
      .when({ type: 'FireTimer', timerId: 't1' }, { now: 60_000 })
      .thenMatches([{ type: 'TimerFired' }, { type: 'TaskCanceled', data: { taskId: 'exec-1-1' } }, { type: 'ExecutionTimedOut' }]);
  });

  it('given ALERT_ONLY, when the workflow timeout fires, then only an alert is recorded', () => {
    executionSpec()
      .given([startedEvent(timed('ALERT_ONLY')), { type: 'TimerStarted', data: { timerId: 't1', dueAt: 60_000, purpose: { kind: 'WORKFLOW_TIMEOUT' }, at: 0 } }])
      .when({ type: 'FireTimer', timerId: 't1' }, { now: 60_000 })
      .thenMatches([{ type: 'TimerFired' }, { type: 'TimeoutAlerted', data: { reason: expect.stringContaining('60') } }])
      .andState((state) => expect(state.status).toBe('RUNNING'));
  });
});
