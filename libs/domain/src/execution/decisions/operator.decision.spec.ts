import { forkJoin, simple, workflow, workflowInput } from '@app/domain';
import { completedEvent, deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const definition = workflow('ops').tasks(simple('a', 'a', { n: workflowInput('n') }), simple('b', 'b'), simple('c', 'c')).build();
const noRetry = { a: { name: 'a', retryCount: 0 }, b: { name: 'b', retryCount: 0 }, c: { name: 'c', retryCount: 0 } };
const running = [startedEvent(definition, { taskDefs: noRetry, input: { n: 1 } }), scheduledEvent('exec-1-1', 'a', { input: { n: 1 } })];
const paused = [...running, { type: 'ExecutionPaused' as const, data: { at: 5 } }];
const failedAtB = [
  ...running,
  completedEvent('exec-1-1'),
  scheduledEvent('exec-1-2', 'b'),
  { type: 'TaskFailed' as const, data: { taskId: 'exec-1-2', reason: 'boom', terminal: false, at: 7 } },
  { type: 'ExecutionFailed' as const, data: { reason: 'b failed', output: {}, failedTaskRefName: 'b', failedTaskId: 'exec-1-2', at: 7 } },
];

describe('pause and resume', () => {
  it('given a running execution, when paused, then it is PAUSED', () => {
    executionSpec().given(running).when({ type: 'PauseExecution', reason: 'maintenance' }, { now: 5 }).then([{ type: 'ExecutionPaused', data: { reason: 'maintenance', at: 5 } }]);
  });

  it('given a paused execution, when paused again, then it is refused with the reason', () => {
    executionSpec().given(paused).when({ type: 'PauseExecution' }).thenIgnored('INVALID_EXECUTION_STATE', 'only a RUNNING execution can be paused');
  });

  it('given a running execution, when resumed, then it is refused', () => {
    executionSpec().given(running).when({ type: 'ResumeExecution' }).thenIgnored('INVALID_EXECUTION_STATE', 'only a PAUSED execution can be resumed');
  });

  it('given a paused execution, when a task completes, then the result is recorded but nothing new is scheduled', () => {
    executionSpec()
      .given(paused)
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { x: 1 } })
      .thenEventTypes(['TaskCompleted'])
      .andState((state) => expect(state.deferred).toEqual([{ kind: 'succeeded', taskId: 'exec-1-1' }]));
  });

  it('given a task completed while paused, when resumed, then the flow continues where it stopped', () => {
    executionSpec()
      .given([...paused, completedEvent('exec-1-1')])
      .when({ type: 'ResumeExecution' }, { now: 9 })
      .thenMatches([{ type: 'ExecutionResumed', data: { at: 9 } }, { type: 'TaskScheduled', data: { taskRefName: 'b' } }, deadlineTimer()])
      .andState((state) => expect(state.deferred).toEqual([]));
  });

  it('given a paused execution, when terminated, then it ends TERMINATED', () => {
    executionSpec().given(paused).when({ type: 'TerminateExecution', reason: 'stop' }).thenEventTypes(['TaskCanceled', 'ExecutionTerminated']);
  });
});

describe('retry, rerun, restart', () => {
  it('given a failed execution, when retried, then the failed task runs again as a new attempt and the execution is RUNNING', () => {
    executionSpec()
      .given(failedAtB)
      .when({ type: 'RetryExecution' }, { now: 20 })
      .thenMatches([
        { type: 'ExecutionRetried', data: { taskRefNames: ['b'] } },
        { type: 'TaskScheduled', data: { taskRefName: 'b', attempt: 2, retriedTaskId: 'exec-1-2' } },
        deadlineTimer(),
      ])
      .andState((state) => expect(state.status).toBe('RUNNING'));
  });

  it('given a completed execution, when retried, then it is refused with the reason', () => {
    executionSpec()
      .given([...running, { type: 'ExecutionCompleted', data: { output: {}, at: 3 } }])
      .when({ type: 'RetryExecution' })
      .thenIgnored('INVALID_EXECUTION_STATE', 'only a FAILED, TIMED_OUT or TERMINATED execution can be retried');
  });

  it('given a failed fork, when retried, then the failed task and the canceled branch and JOIN are rescheduled', () => {
    const forked = workflow('fj').tasks(forkJoin('f', [[simple('x', 'x')], [simple('y', 'y')]], { joinRef: 'j' })).build();
    executionSpec()
      .given([
        startedEvent(forked, { taskDefs: { x: { name: 'x', retryCount: 0 }, y: { name: 'y', retryCount: 0 } } }),
        scheduledEvent('exec-1-1', 'f', { taskType: 'FORK_JOIN' }),
        completedEvent('exec-1-1'),
        scheduledEvent('exec-1-2', 'x'),
        scheduledEvent('exec-1-3', 'y'),
        scheduledEvent('exec-1-4', 'j', { taskType: 'JOIN' }),
        { type: 'TaskFailed', data: { taskId: 'exec-1-2', reason: 'boom', terminal: false, at: 1 } },
        { type: 'TaskCanceled', data: { taskId: 'exec-1-3', reason: 'x failed', at: 1 } },
        { type: 'TaskCanceled', data: { taskId: 'exec-1-4', reason: 'x failed', at: 1 } },
        { type: 'ExecutionFailed', data: { reason: 'x failed', output: {}, at: 1 } },
      ])
      .when({ type: 'RetryExecution' })
      .thenMatches([
        { type: 'ExecutionRetried', data: { taskRefNames: ['x', 'y', 'j'] } },
        { type: 'TaskScheduled', data: { taskRefName: 'x', attempt: 2 } },
        deadlineTimer(),
        { type: 'TaskScheduled', data: { taskRefName: 'y', attempt: 2 } },
        deadlineTimer(),
        { type: 'TaskScheduled', data: { taskRefName: 'j', taskType: 'JOIN' } },
      ]);
  });

  it('given a failed execution, when rerun from its first task with new input, then later tasks are taken back and it runs from there', () => {
    executionSpec()
      .given(failedAtB)
      .when({ type: 'RerunExecution', fromTaskId: 'exec-1-1', taskInput: { n: 2 }, workflowInput: { n: 2 } }, { now: 30 })
      .thenMatches([
        { type: 'ExecutionRerun', data: { fromTaskId: 'exec-1-1', taskInput: { n: 2 } } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-3', taskRefName: 'a', attempt: 1, input: { n: 2 } } },
        deadlineTimer('exec-1-3'),
      ])
      .andState((state) => {
        expect(state.taskOrder).toEqual(['exec-1-3']);
        expect(state.input).toEqual({ n: 2 });
        expect(state.status).toBe('RUNNING');
      });
  });

  it('given a running execution, when rerun, then it is refused', () => {
    executionSpec().given(running).when({ type: 'RerunExecution', fromTaskId: 'exec-1-1' }).thenIgnored('INVALID_EXECUTION_STATE', 'only an ended execution');
  });

  it('given a failed execution, when restarted on a newer definition, then it starts over with it', () => {
    const v2 = workflow('ops', 2).tasks(simple('c', 'c')).build();
    executionSpec()
      .given(failedAtB)
      .when({ type: 'RestartExecution', definition: v2, taskDefs: { c: { name: 'c', retryCount: 0 } } }, { now: 40 })
      .thenMatches([{ type: 'ExecutionRestarted', data: { definition: { version: 2 } } }, { type: 'TaskScheduled', data: { taskRefName: 'c' } }, deadlineTimer()])
      .andState((state) => {
        expect(state.definition?.version).toBe(2);
        expect(state.taskOrder).toHaveLength(1);
      });
  });

  it('given a definition that is not restartable, when restarted, then it is refused', () => {
    const fixed = { ...definition, restartable: false };
    executionSpec()
      .given([startedEvent(fixed), { type: 'ExecutionTerminated', data: { reason: 'x', output: {}, at: 1 } }])
      .when({ type: 'RestartExecution' })
      .thenIgnored('INVALID_EXECUTION_STATE', 'restartable: false');
  });
});

describe('skipping a task', () => {
  it('given a pending task, when skipped with an output, then it is SKIPPED and the flow continues with that output', () => {
    executionSpec()
      .given(running)
      .when({ type: 'SkipTask', taskRefName: 'a', output: { skipped: true } })
      .thenMatches([{ type: 'TaskSkipped', data: { taskId: 'exec-1-1', output: { skipped: true } } }, { type: 'TaskScheduled', data: { taskRefName: 'b' } }, deadlineTimer()])
      .andState((state) => expect(state.tasks['exec-1-1']?.status).toBe('SKIPPED'));
  });

  it('given a completed task, when skipped, then it is refused as not pending', () => {
    executionSpec().given([...running, completedEvent('exec-1-1'), scheduledEvent('exec-1-2', 'b')]).when({ type: 'SkipTask', taskRefName: 'a' }).thenIgnored('TASK_NOT_PENDING');
  });

  it('given a task not reached yet, when skipped, then it is unknown', () => {
    executionSpec().given(running).when({ type: 'SkipTask', taskRefName: 'c' }).thenIgnored('UNKNOWN_TASK');
  });
});

describe('throttled dispatch', () => {
  it('given a scheduled task, when the dispatcher holds it back, then TaskThrottled is recorded; when released, TaskDispatched', () => {
    const throttled = executionSpec().given(running).when({ type: 'RecordTaskThrottled', taskId: 'exec-1-1', reason: 'CONCURRENCY_LIMIT', limit: 3 }, { now: 2 });
    throttled.then([{ type: 'TaskThrottled', data: { taskId: 'exec-1-1', reason: 'CONCURRENCY_LIMIT', limit: 3, at: 2 } }]);
    executionSpec()
      .given([...running, ...throttled.decision.events])
      .when({ type: 'RecordTaskDispatched', taskId: 'exec-1-1' }, { now: 9 })
      .then([{ type: 'TaskDispatched', data: { taskId: 'exec-1-1', at: 9 } }])
      .andState((state) => expect(state.tasks['exec-1-1']?.throttled).toBeUndefined());
  });

  it('given a task not throttled, when marked dispatched, then nothing happens', () => {
    executionSpec().given(running).when({ type: 'RecordTaskDispatched', taskId: 'exec-1-1' }).thenIgnored('TASK_NOT_PENDING');
  });
});

describe('throttled dispatch of an ended task', () => {
  it('given a throttled task that was canceled, when marked dispatched, then nothing happens', () => {
    executionSpec()
      .given([
        ...running,
        { type: 'TaskThrottled', data: { taskId: 'exec-1-1', reason: 'CONCURRENCY_LIMIT', limit: 1, at: 1 } },
        { type: 'TaskCanceled', data: { taskId: 'exec-1-1', reason: 'terminated', at: 2 } },
      ])
      .when({ type: 'RecordTaskDispatched', taskId: 'exec-1-1' })
      .thenIgnored('TASK_NOT_PENDING', 'CANCELED');
  });
});
