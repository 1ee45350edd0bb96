import { forkJoin, simple, workflow } from '@app/domain';
import { completedEvent, deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const permissive = (name: string, ref: string) => ({ ...simple(name, ref), permissive: true });
const noRetries = { check: { name: 'check', retryCount: 0 }, ship: { name: 'ship', retryCount: 0 } };

describe('permissive tasks (Conductor)', () => {
  const sequential = workflow('perm').tasks(permissive('check', 'check'), simple('ship', 'ship')).build();

  it('given a permissive task out of retries, when it fails, then it stays FAILED and the flow goes on', () => {
    executionSpec()
      .given([startedEvent(sequential, { taskDefs: noRetries }), scheduledEvent('exec-1-1', 'check')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'flaky check' })
      .thenMatches([{ type: 'TaskFailed' }, { type: 'TaskScheduled', data: { taskRefName: 'ship' } }, deadlineTimer()])
      .andState((state) => expect(state.tasks['exec-1-1']?.status).toBe('FAILED'));
  });

  it('given a permissive task failed earlier, when the last task completes, then the execution ends FAILED with the reason Conductor gives', () => {
    executionSpec()
      .given([
        startedEvent(sequential, { taskDefs: noRetries }),
        scheduledEvent('exec-1-1', 'check'),
        { type: 'TaskFailed', data: { taskId: 'exec-1-1', reason: 'flaky check', terminal: false, at: 1 } },
        scheduledEvent('exec-1-2', 'ship'),
      ])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'COMPLETED', output: {} })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'ExecutionFailed', data: { reason: "Task exec-1-1 failed with status: FAILED and reason: 'flaky check'", failedTaskRefName: 'check' } }]);
  });

  it('given a permissive branch failed, when the other branch completes, then the JOIN fails and so does the execution', () => {
    const forked = workflow('perm_fork').tasks(forkJoin('f', [[permissive('check', 'check')], [simple('ship', 'ship')]], { joinRef: 'f_join' })).build();
    executionSpec()
      .given([
        startedEvent(forked, { taskDefs: noRetries }),
        scheduledEvent('exec-1-1', 'f', { taskType: 'FORK_JOIN' }),
        scheduledEvent('exec-1-2', 'check'),
        scheduledEvent('exec-1-3', 'ship'),
        completedEvent('exec-1-1'),
        scheduledEvent('exec-1-4', 'f_join', { taskType: 'JOIN', input: { joinOn: ['check', 'ship'] } }),
        { type: 'TaskFailed', data: { taskId: 'exec-1-2', reason: 'flaky check', terminal: false, at: 1 } },
      ])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-3', status: 'COMPLETED', output: {} })
      .thenMatches([
        { type: 'TaskCompleted', data: { taskId: 'exec-1-3' } },
        { type: 'TaskFailed', data: { taskId: 'exec-1-4', reason: expect.stringContaining('Task exec-1-2 failed with status: FAILED') } },
        { type: 'ExecutionFailed', data: { failedTaskRefName: 'f_join' } },
      ]);
  });
});
