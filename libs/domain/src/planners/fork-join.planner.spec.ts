import { forkJoin, simple, workflow } from '@app/domain';
import { completedEvent, deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const definition = workflow('parallel')
  .tasks(forkJoin('checks', [[simple('reserve_inventory', 'reserve')], [simple('check_fraud', 'fraud'), simple('score', 'score')]], { joinRef: 'checks_join' }), simple('charge', 'charge'))
  .build();

const forked = [
  startedEvent(definition),
  scheduledEvent('exec-1-1', 'checks', { taskType: 'FORK_JOIN' }),
  scheduledEvent('exec-1-2', 'reserve', { taskDefName: 'reserve_inventory' }),
  scheduledEvent('exec-1-3', 'fraud', { taskDefName: 'check_fraud' }),
  completedEvent('exec-1-1'),
  scheduledEvent('exec-1-4', 'checks_join', { taskType: 'JOIN', input: { joinOn: ['reserve', 'score'] } }),
];

describe('FORK_JOIN and JOIN', () => {
  it('given a fork, when the execution starts, then every branch starts and the JOIN waits', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: {} })
      .thenMatches([
        { type: 'ExecutionStarted' },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-1', taskRefName: 'checks', taskType: 'FORK_JOIN' } },
        { type: 'TaskCompleted', data: { taskId: 'exec-1-1', output: { forkedTasks: ['reserve', 'fraud'] } } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-2', taskRefName: 'reserve' } },
        deadlineTimer('exec-1-2'),
        { type: 'TaskScheduled', data: { taskId: 'exec-1-3', taskRefName: 'fraud' } },
        deadlineTimer('exec-1-3'),
        { type: 'TaskScheduled', data: { taskId: 'exec-1-4', taskRefName: 'checks_join', taskType: 'JOIN', input: { joinOn: ['reserve', 'score'] } } },
      ])
      .andState((state) => expect(state.tasks['exec-1-4']?.status).toBe('IN_PROGRESS'));
  });

  it('given one branch done, when a task of the other branch completes, then that branch moves on and the JOIN keeps waiting', () => {
    executionSpec()
      .given([...forked, completedEvent('exec-1-2', { reserved: true })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-3', status: 'COMPLETED', output: { verdict: 'accept' } })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled', data: { taskRefName: 'score' } }, deadlineTimer()]);
  });

  it('given every other joined task done, when the last one completes, then the JOIN completes with their outputs and the flow continues', () => {
    executionSpec()
      .given([...forked, completedEvent('exec-1-2', { reserved: true }), completedEvent('exec-1-3'), scheduledEvent('exec-1-5', 'score')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-5', status: 'COMPLETED', output: { score: 7 } }, { now: 40 })
      .thenMatches([
        { type: 'TaskCompleted', data: { taskId: 'exec-1-5' } },
        { type: 'TaskCompleted', data: { taskId: 'exec-1-4', output: { reserve: { reserved: true }, score: { score: 7 } }, at: 40 } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-6', taskRefName: 'charge' } },
        deadlineTimer('exec-1-6'),
      ]);
  });

  it('given a branch task fails for good, when decided, then the execution fails and the other branch is canceled', () => {
    executionSpec()
      .given([startedEvent(definition, { taskDefs: { reserve_inventory: { name: 'reserve_inventory', retryCount: 0 } } }), ...forked.slice(1)])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'FAILED', reason: 'out of stock' })
      .thenMatches([
        { type: 'TaskFailed', data: { taskId: 'exec-1-2' } },
        { type: 'TaskCanceled', data: { taskId: 'exec-1-3' } },
        { type: 'TaskCanceled', data: { taskId: 'exec-1-4' } },
        { type: 'ExecutionFailed', data: { failedTaskRefName: 'reserve' } },
      ]);
  });

  it('given a JOIN, when a worker result targets it, then it is ignored because JOIN is a system task', () => {
    executionSpec().given(forked).when({ type: 'ApplyTaskResult', taskId: 'exec-1-4', status: 'COMPLETED' }).thenIgnored('TASK_NOT_EXTERNAL');
  });
});
