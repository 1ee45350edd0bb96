import { simple, wait, workflow } from '@app/domain';
import { deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const signalled = workflow('wait_signal').tasks(wait('wait_payment'), simple('ship', 'ship')).build();
const timed = workflow('wait_timer').tasks(wait('cool_off', { duration: '2s' }), simple('ship', 'ship')).build();

describe('WAIT tasks', () => {
  it('given a WAIT without time, when scheduled, then it is in progress and arms no timer', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: signalled, taskDefs: {}, input: {} })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { taskRefName: 'wait_payment', taskType: 'WAIT' } }])
      .andState((state) => expect(state.tasks['exec-1-1']?.status).toBe('IN_PROGRESS'));
  });

  it('given a waiting task, when a signal completes it by reference name, then the flow continues with the signal output', () => {
    executionSpec()
      .given([startedEvent(signalled), scheduledEvent('exec-1-1', 'wait_payment', { taskType: 'WAIT' })])
      .when({ type: 'CompleteTaskByRef', taskRefName: 'wait_payment', status: 'COMPLETED', output: { confirmed: true } })
      .thenMatches([{ type: 'TaskCompleted', data: { taskId: 'exec-1-1', output: { confirmed: true } } }, { type: 'TaskScheduled', data: { taskRefName: 'ship' } }, deadlineTimer()]);
  });

  it('given a waiting task, when a signal names a reference that was never scheduled, then it is ignored', () => {
    executionSpec()
      .given([startedEvent(signalled), scheduledEvent('exec-1-1', 'wait_payment', { taskType: 'WAIT' })])
      .when({ type: 'CompleteTaskByRef', taskRefName: 'ship', status: 'COMPLETED' })
      .thenIgnored('UNKNOWN_TASK', 'ship');
  });

  it('given a completed WAIT, when the signal arrives again, then there is no second transition', () => {
    executionSpec()
      .given([startedEvent(signalled), scheduledEvent('exec-1-1', 'wait_payment', { taskType: 'WAIT' }), { type: 'TaskCompleted', data: { taskId: 'exec-1-1', output: {}, at: 1 } }])
      .when({ type: 'CompleteTaskByRef', taskRefName: 'wait_payment', status: 'COMPLETED' })
      .thenIgnored('DUPLICATE_RESULT');
  });

  it('given a WAIT with a duration, when scheduled, then a durable WAIT timer is armed for now + duration', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: timed, taskDefs: {}, input: {} }, { now: 10_000 })
      .thenMatches([
        { type: 'ExecutionStarted' },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-1', taskRefName: 'cool_off', input: { duration: '2s' } } },
        { type: 'TimerStarted', data: { timerId: 't1', dueAt: 12_000, purpose: { kind: 'WAIT', taskId: 'exec-1-1' } } },
      ]);
  });

  it('given an armed WAIT timer, when it fires, then the WAIT completes and the flow continues', () => {
    executionSpec()
      .given([
        startedEvent(timed),
        scheduledEvent('exec-1-1', 'cool_off', { taskType: 'WAIT' }),
        { type: 'TimerStarted', data: { timerId: 't2', dueAt: 12_000, purpose: { kind: 'WAIT', taskId: 'exec-1-1' }, at: 10_000 } },
      ])
      .when({ type: 'FireTimer', timerId: 't2' }, { now: 12_003 })
      .thenMatches([{ type: 'TimerFired' }, { type: 'TaskCompleted', data: { taskId: 'exec-1-1' } }, { type: 'TaskScheduled', data: { taskRefName: 'ship' } }, deadlineTimer()])
      .andState((state) => expect(Object.values(state.timers).map((timer) => timer.purpose)).toEqual([{ kind: 'TASK_TIMEOUT', taskId: 'exec-1-2' }]));
  });

  it('given a WAIT whose duration comes from input and does not parse, when scheduled, then the task and the execution fail', () => {
    const definition = workflow('bad_wait').tasks(wait('w', { duration: '${workflow.input.d}' })).build();
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: { d: 'soon' } })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled' }, { type: 'TaskFailed', data: { terminal: true } }, { type: 'ExecutionFailed' }]);
  });
});

describe('WAIT signals that arrive early', () => {
  const early = workflow('early_signal').tasks(simple('charge', 'charge'), wait('wait_payment'), simple('ship', 'ship')).build();
  const charging = [startedEvent(early), scheduledEvent('exec-1-1', 'charge')];

  it('given the WAIT is not reached yet, when its completion arrives, then it is kept as a signal', () => {
    executionSpec()
      .given(charging)
      .when({ type: 'CompleteTaskByRef', taskRefName: 'wait_payment', status: 'COMPLETED', output: { confirmationId: 'c-1' } }, { now: 5 })
      .then([{ type: 'SignalReceived', data: { taskRefName: 'wait_payment', status: 'COMPLETED', output: { confirmationId: 'c-1' }, at: 5 } }])
      .andState((state) => expect(state.pendingSignals['wait_payment']?.output).toEqual({ confirmationId: 'c-1' }));
  });

  it('given a kept signal, when the WAIT is reached, then it completes at once with the signal output and the flow continues', () => {
    executionSpec()
      .given([...charging, { type: 'SignalReceived', data: { taskRefName: 'wait_payment', status: 'COMPLETED', output: { confirmationId: 'c-1' }, at: 5 } }])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED' }, { now: 9 })
      .thenMatches([
        { type: 'TaskCompleted', data: { taskId: 'exec-1-1' } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-2', taskRefName: 'wait_payment', taskType: 'WAIT' } },
        { type: 'TaskCompleted', data: { taskId: 'exec-1-2', output: { confirmationId: 'c-1' } } },
        { type: 'TaskScheduled', data: { taskRefName: 'ship' } },
        deadlineTimer(),
      ])
      .andState((state) => expect(state.pendingSignals).toEqual({}));
  });

  it('given a kept signal, when the same signal arrives again, then it is a duplicate', () => {
    executionSpec()
      .given([...charging, { type: 'SignalReceived', data: { taskRefName: 'wait_payment', status: 'COMPLETED', output: {}, at: 5 } }])
      .when({ type: 'CompleteTaskByRef', taskRefName: 'wait_payment', status: 'COMPLETED' })
      .thenIgnored('DUPLICATE_RESULT');
  });

  it('given a kept FAILED signal, when the WAIT is reached, then the WAIT fails and so does the execution', () => {
    executionSpec()
      .given([...charging, { type: 'SignalReceived', data: { taskRefName: 'wait_payment', status: 'FAILED', output: {}, reason: 'declined', at: 5 } }])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED' })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled' }, { type: 'TaskFailed', data: { reason: 'declined' } }, { type: 'ExecutionFailed' }]);
  });

  it('given a reference that is not a WAIT, when completed before it is scheduled, then it is ignored as unknown', () => {
    executionSpec()
      .given(charging)
      .when({ type: 'CompleteTaskByRef', taskRefName: 'ship', status: 'COMPLETED' })
      .thenIgnored('UNKNOWN_TASK', 'not been scheduled yet');
  });

  it('given a reference the workflow does not have, when completed, then it is ignored as unknown', () => {
    executionSpec().given(charging).when({ type: 'CompleteTaskByRef', taskRefName: 'nope', status: 'COMPLETED' }).thenIgnored('UNKNOWN_TASK', 'no task with reference name nope');
  });
});

describe('WAIT with a task definition timeoutSeconds (Conductor)', () => {
  const held = workflow('held').tasks({ ...wait('hold'), taskDefinition: { name: 'hold', timeoutSeconds: 5 } }, simple('ship', 'ship')).build();

  it('given a WAIT with an inline timeoutSeconds, when scheduled, then a TASK_TIMEOUT timer is armed for scheduling + timeoutSeconds', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: held, taskDefs: {}, input: {} }, { now: 10_000 })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { taskRefName: 'hold', taskType: 'WAIT' } }, { type: 'TimerStarted', data: { dueAt: 15_000, purpose: { kind: 'TASK_TIMEOUT', taskId: 'exec-1-1' } } }]);
  });

  it('given that timer, when it fires before any signal, then the WAIT times out and, under TIME_OUT_WF, so does the execution', () => {
    executionSpec()
      .given([
        startedEvent(held, { at: 10_000 }),
        scheduledEvent('exec-1-1', 'hold', { taskType: 'WAIT', at: 10_000 }),
        { type: 'TimerStarted', data: { timerId: 't1', dueAt: 15_000, purpose: { kind: 'TASK_TIMEOUT', taskId: 'exec-1-1' }, at: 10_000 } },
      ])
      .when({ type: 'FireTimer', timerId: 't1' }, { now: 15_000 })
      .thenMatches([{ type: 'TimerFired' }, { type: 'TaskTimedOut', data: { taskId: 'exec-1-1', timeout: 'TASK_TIMEOUT' } }, { type: 'ExecutionTimedOut', data: { failedTaskRefName: 'hold' } }]);
  });

  it('given a task definition registered under the WAIT name, when started, then it is snapshotted and arms the timeout; without one no timer is armed', () => {
    const registered = workflow('held_reg').tasks(wait('hold'), simple('ship', 'ship')).build();
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: registered, taskDefs: { hold: { name: 'hold', timeoutSeconds: 60, timeoutPolicy: 'TIME_OUT_WF' } }, input: {} }, { now: 0 })
      .thenMatches([{ type: 'ExecutionStarted', data: { taskDefs: { hold: { name: 'hold', timeoutSeconds: 60 } } } }, { type: 'TaskScheduled' }, { type: 'TimerStarted', data: { dueAt: 60_000, purpose: { kind: 'TASK_TIMEOUT' } } }]);
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: registered, taskDefs: {}, input: {} })
      .thenEventTypes(['ExecutionStarted', 'TaskScheduled']);
  });
});
