import { simple, workflow, workflowInput, taskOutput } from '@app/domain';
import { completedEvent, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const definition = workflow('two_steps')
  .tasks(
    simple('charge', 'charge', { amount: workflowInput('amount') }),
    simple('ship', 'ship', { paymentId: taskOutput('charge', 'paymentId') }),
  )
  .build();
const noRetries = { charge: { name: 'charge', retryCount: 0 }, ship: { name: 'ship', retryCount: 0 } };

describe('SIMPLE tasks', () => {
  it('given a start command, when decided, then the execution starts and the first task is scheduled with its mapped input', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: { amount: 42 }, correlationId: 'order-7' }, { now: 10 })
      .thenMatches([
        { type: 'ExecutionStarted', data: { executionId: 'exec-1', input: { amount: 42 }, correlationId: 'order-7', at: 10 } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-1', taskRefName: 'charge', taskType: 'SIMPLE', attempt: 1, input: { amount: 42 }, at: 10 } },
        // Every worker task gets a deadline timer: Conductor's default responseTimeoutSeconds is 3600.
        { type: 'TimerStarted', data: { timerId: 't1', dueAt: 10 + 3_600_000, purpose: { kind: 'TASK_TIMEOUT', taskId: 'exec-1-1' } } },
      ])
      .andState((state) => {
        expect(state.status).toBe('RUNNING');
        expect(state.tasks['exec-1-1']?.status).toBe('SCHEDULED');
      });
  });

  it('given a started execution, when started again, then nothing happens (idempotent start)', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: {} })
      .thenIgnored('ALREADY_STARTED');
  });

  it('given a scheduled task, when it completes, then the next task is scheduled with the previous output mapped in', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', attempt: 1, status: 'COMPLETED', output: { paymentId: 'p-9' }, workerId: 'w1' }, { now: 50 })
      .then([
        { type: 'TaskCompleted', data: { taskId: 'exec-1-1', output: { paymentId: 'p-9' }, workerId: 'w1', at: 50 } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-2', taskRefName: 'ship', taskDefName: 'ship', taskType: 'SIMPLE', attempt: 1, input: { paymentId: 'p-9' }, at: 50 } },
        { type: 'TimerStarted', data: { timerId: 't1', dueAt: 50 + 3_600_000, purpose: { kind: 'TASK_TIMEOUT', taskId: 'exec-1-2' }, at: 50 } },
      ]);
  });

  it('given the last task is running, when it completes, then the execution completes with the last output', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge'), completedEvent('exec-1-1'), scheduledEvent('exec-1-2', 'ship')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'COMPLETED', output: { trackingId: 't-1' } }, { now: 99 })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'ExecutionCompleted', data: { output: { trackingId: 't-1' }, at: 99 } }])
      .andState((state) => expect(state.status).toBe('COMPLETED'));
  });

  it('given a completed task, when the same result arrives again, then there is no second transition', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge'), completedEvent('exec-1-1', { paymentId: 'p-9' }), scheduledEvent('exec-1-2', 'ship')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', attempt: 1, status: 'COMPLETED', output: { paymentId: 'p-9' } })
      .thenIgnored('DUPLICATE_RESULT', 'already has status COMPLETED');
  });

  it('given a completed task, when a FAILED result for it arrives late, then it is ignored as no longer pending', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge'), completedEvent('exec-1-1')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'late' })
      .thenIgnored('TASK_NOT_PENDING');
  });

  it('given a running execution, when a result names an unknown task, then it is ignored with the reason', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'ApplyTaskResult', taskId: 'nope', status: 'COMPLETED' })
      .thenIgnored('UNKNOWN_TASK', 'has no task nope');
  });

  it('given no execution, when a result arrives, then it is ignored as an unknown execution', () => {
    executionSpec('ghost').given([]).when({ type: 'ApplyTaskResult', taskId: 'ghost-1', status: 'COMPLETED' }).thenIgnored('UNKNOWN_EXECUTION');
  });

  it('given a task on attempt 1, when a result claims attempt 2, then it is ignored', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', attempt: 2, status: 'COMPLETED' })
      .thenIgnored('ATTEMPT_MISMATCH');
  });

  it('given a charge task, when a result sent for another task type names it, then it is ignored as a type mismatch and nothing changes', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', attempt: 1, taskDefName: 'ship', status: 'COMPLETED', output: { paymentId: 'forged' } })
      .thenIgnored('TASK_TYPE_MISMATCH', 'task exec-1-1 is a charge task; the result was sent for ship');
  });

  it('given a charge task, when a result sent for its own type arrives, then it applies', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', attempt: 1, taskDefName: 'charge', status: 'COMPLETED', output: { paymentId: 'p-1' } })
      .thenMatches([{ type: 'TaskCompleted', data: { taskId: 'exec-1-1', output: { paymentId: 'p-1' } } }, { type: 'TaskScheduled' }, { type: 'TimerStarted' }]);
  });

  it('given a scheduled task, when the worker reports IN_PROGRESS, then progress is recorded and the task is in progress', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'IN_PROGRESS', workerId: 'w2', logs: ['halfway'] }, { now: 7 })
      .then([{ type: 'TaskProgressReported', data: { taskId: 'exec-1-1', workerId: 'w2', logs: ['halfway'], at: 7 } }])
      .andState((state) => {
        expect(state.tasks['exec-1-1']).toMatchObject({ status: 'IN_PROGRESS', startedAt: 7, workerId: 'w2', logs: ['halfway'] });
      });
  });

  it('given a task without retries left, when it fails, then the execution fails naming the task and the reason', () => {
    executionSpec()
      .given([startedEvent(definition, { taskDefs: noRetries }), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'card declined' }, { now: 5 })
      .thenMatches([
        { type: 'TaskFailed', data: { taskId: 'exec-1-1', reason: 'card declined', terminal: false } },
        { type: 'ExecutionFailed', data: { failedTaskRefName: 'charge', failedTaskId: 'exec-1-1' } },
      ])
      .andState((state) => {
        expect(state.status).toBe('FAILED');
        expect(state.reason).toContain('card declined');
      });
  });

  it('given a task with retries and no delay, when it fails, then the next attempt is scheduled at once with the same input', () => {
    executionSpec()
      .given([startedEvent(definition, { taskDefs: { charge: { name: 'charge', retryCount: 2, retryDelaySeconds: 0 } } }), scheduledEvent('exec-1-1', 'charge', { input: { amount: 3 } })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'flaky' })
      .thenMatches([
        { type: 'TaskFailed' },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-2', taskRefName: 'charge', attempt: 2, retriedTaskId: 'exec-1-1', input: { amount: 3 } } },
        { type: 'TimerStarted', data: { purpose: { kind: 'TASK_TIMEOUT', taskId: 'exec-1-2' } } },
      ])
      .andState((state) => expect(state.tasks['exec-1-1']?.retried).toBe(true));
  });

  it('given a task with a retry delay, when it fails, then a durable RETRY timer is armed instead of scheduling at once', () => {
    executionSpec()
      .given([startedEvent(definition, { taskDefs: { charge: { name: 'charge', retryCount: 1, retryDelaySeconds: 5 } } }), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'flaky' }, { now: 1_000 })
      .thenMatches([
        { type: 'TaskFailed' },
        { type: 'TimerStarted', data: { timerId: 't1', dueAt: 6_000, purpose: { kind: 'RETRY', taskRefName: 'charge', retriedTaskId: 'exec-1-1' } } },
      ]);
  });

  it('given a RETRY timer, when it fires, then the next attempt is scheduled', () => {
    const retryTimer = { type: 'TimerStarted', data: { timerId: 't2', dueAt: 6_000, purpose: { kind: 'RETRY', taskRefName: 'charge', retriedTaskId: 'exec-1-1' }, at: 1_000 } } as const;
    executionSpec()
      .given([
        startedEvent(definition, { taskDefs: { charge: { name: 'charge', retryCount: 1, retryDelaySeconds: 5 } } }),
        scheduledEvent('exec-1-1', 'charge', { input: { amount: 1 } }),
        { type: 'TaskFailed', data: { taskId: 'exec-1-1', reason: 'flaky', terminal: false, at: 1_000 } },
        retryTimer,
      ])
      .when({ type: 'FireTimer', timerId: 't2' }, { now: 6_010 })
      .thenMatches([
        { type: 'TimerFired', data: { timerId: 't2', at: 6_010 } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-2', attempt: 2, retriedTaskId: 'exec-1-1', input: { amount: 1 } } },
        { type: 'TimerStarted', data: { timerId: 't2', purpose: { kind: 'TASK_TIMEOUT', taskId: 'exec-1-2' } } },
      ]);
  });

  it('given a fired timer, when it fires again, then it is ignored', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'FireTimer', timerId: 't9' })
      .thenIgnored('TIMER_NOT_ARMED');
  });

  it('given retries left, when the worker reports FAILED_WITH_TERMINAL_ERROR, then it is not retried', () => {
    executionSpec()
      .given([startedEvent(definition, { taskDefs: { charge: { name: 'charge', retryCount: 5, retryDelaySeconds: 0 } } }), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED_WITH_TERMINAL_ERROR', reason: 'invalid card' })
      .thenMatches([{ type: 'TaskFailed', data: { terminal: true } }, { type: 'ExecutionFailed' }]);
  });

  it('given an optional task out of retries, when it fails, then it ends COMPLETED_WITH_ERRORS (keeping its reason) and the workflow continues with the next task', () => {
    const optionalDef = workflow('opt').tasks(simple('notify', 'notify', {}, { optional: true }), simple('ship', 'ship')).build();
    executionSpec()
      .given([startedEvent(optionalDef, { taskDefs: { notify: { name: 'notify', retryCount: 0 } } }), scheduledEvent('exec-1-1', 'notify')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'smtp down' })
      .thenMatches([{ type: 'TaskFailed' }, { type: 'TaskCompletedWithErrors', data: { taskId: 'exec-1-1' } }, { type: 'TaskScheduled', data: { taskRefName: 'ship' } }, { type: 'TimerStarted', data: { purpose: { kind: 'TASK_TIMEOUT' } } }])
      .andState((state) => expect(state.tasks['exec-1-1']).toMatchObject({ status: 'COMPLETED_WITH_ERRORS', reason: 'smtp down' }));
  });

  it('given an optional task with a retry left, when it fails, then it is retried first (COMPLETED_WITH_ERRORS only once retries are used up)', () => {
    const optionalDef = workflow('opt').tasks(simple('notify', 'notify', {}, { optional: true }), simple('ship', 'ship')).build();
    executionSpec()
      .given([startedEvent(optionalDef, { taskDefs: { notify: { name: 'notify', retryCount: 1, retryDelaySeconds: 0 } } }), scheduledEvent('exec-1-1', 'notify')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'smtp down' })
      .thenMatches([{ type: 'TaskFailed' }, { type: 'TaskScheduled', data: { taskRefName: 'notify', attempt: 2 } }, { type: 'TimerStarted' }]);
  });

  it('given an optional task that completed with errors, when its failure arrives again (a redelivery), then it is a duplicate', () => {
    const optionalDef = workflow('opt').tasks(simple('notify', 'notify', {}, { optional: true }), simple('ship', 'ship')).build();
    executionSpec()
      .given([startedEvent(optionalDef), scheduledEvent('exec-1-1', 'notify'), { type: 'TaskFailed', data: { taskId: 'exec-1-1', reason: 'x', terminal: false, at: 1 } }, { type: 'TaskCompletedWithErrors', data: { taskId: 'exec-1-1', at: 1 } }])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'again' })
      .thenIgnored('DUPLICATE_RESULT');
  });

  it('given a running execution, when an operator terminates it, then pending tasks are canceled and it ends TERMINATED', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'charge')])
      .when({ type: 'TerminateExecution', reason: 'customer cancelled' }, { now: 3 })
      .thenMatches([
        { type: 'TaskCanceled', data: { taskId: 'exec-1-1' } },
        { type: 'ExecutionTerminated', data: { reason: 'customer cancelled', at: 3 } },
      ])
      .andState((state) => expect(state.status).toBe('TERMINATED'));
  });

  it('given an ended execution, when terminated, then it is ignored as ended', () => {
    executionSpec()
      .given([startedEvent(definition), { type: 'ExecutionTerminated', data: { reason: 'x', output: {}, at: 1 } }])
      .when({ type: 'TerminateExecution', reason: 'again' })
      .thenIgnored('EXECUTION_ENDED');
  });

  it('given a terminated execution, when a result for its canceled task arrives, then it is ignored', () => {
    executionSpec()
      .given([
        startedEvent(definition),
        scheduledEvent('exec-1-1', 'charge'),
        { type: 'TaskCanceled', data: { taskId: 'exec-1-1', reason: 'x', at: 1 } },
        { type: 'ExecutionTerminated', data: { reason: 'x', output: {}, at: 1 } },
      ])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED' })
      .thenIgnored('TASK_NOT_PENDING');
  });
});
