import { human, noop, simple, workflow } from '@app/domain';
import { deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const withNoop = workflow('noop_flow').tasks(noop('nothing'), simple('ship', 'ship')).build();
const approval = workflow('approval').tasks(human('approve', { amount: '${workflow.input.amount}' }), simple('ship', 'ship')).build();

describe('NOOP tasks', () => {
  it('given a NOOP first, when the execution starts, then it completes at once with an empty output and the next task is scheduled', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: withNoop, taskDefs: {}, input: { a: 1 } })
      .thenMatches([
        { type: 'ExecutionStarted' },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-1', taskRefName: 'nothing', taskType: 'NOOP', input: {} } },
        { type: 'TaskCompleted', data: { taskId: 'exec-1-1', output: {} } },
        { type: 'TaskScheduled', data: { taskRefName: 'ship' } },
        deadlineTimer(),
      ]);
  });
});

describe('HUMAN tasks', () => {
  it('given a HUMAN task, when scheduled, then it is IN_PROGRESS with its resolved input and arms no timer', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: approval, taskDefs: {}, input: { amount: 12 } })
      .then([
        { type: 'ExecutionStarted', data: { executionId: 'exec-1', definition: approval, taskDefs: { ship: { name: 'ship', retryCount: 3, retryLogic: 'FIXED', retryDelaySeconds: 60, timeoutSeconds: 0, responseTimeoutSeconds: 3600, timeoutPolicy: 'TIME_OUT_WF' } }, input: { amount: 12 }, at: 1_000 } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-1', taskRefName: 'approve', taskDefName: 'approve', taskType: 'HUMAN', attempt: 1, input: { amount: 12 }, at: 1_000 } },
      ])
      .andState((state) => expect(state.tasks['exec-1-1']?.status).toBe('IN_PROGRESS'));
  });

  it('given a HUMAN task in progress, when it is completed by reference name, then the flow continues with its output', () => {
    executionSpec()
      .given([startedEvent(approval), scheduledEvent('exec-1-1', 'approve', { taskType: 'HUMAN' })])
      .when({ type: 'CompleteTaskByRef', taskRefName: 'approve', status: 'COMPLETED', output: { approvedBy: 'ann' } })
      .thenMatches([{ type: 'TaskCompleted', data: { taskId: 'exec-1-1', output: { approvedBy: 'ann' } } }, { type: 'TaskScheduled', data: { taskRefName: 'ship' } }, deadlineTimer()]);
  });

  it('given a HUMAN task in progress, when a task result fails it, then the execution fails (no retries for a HUMAN task)', () => {
    executionSpec()
      .given([startedEvent(approval), scheduledEvent('exec-1-1', 'approve', { taskType: 'HUMAN' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'rejected' })
      .thenMatches([{ type: 'TaskFailed', data: { reason: 'rejected' } }, { type: 'ExecutionFailed', data: { failedTaskRefName: 'approve' } }]);
  });

  it('given a HUMAN task not reached yet, when a completion names it, then it is refused (only a WAIT keeps early signals)', () => {
    const late = workflow('late_approval').tasks(simple('prepare', 'prepare'), human('approve')).build();
    executionSpec()
      .given([startedEvent(late), scheduledEvent('exec-1-1', 'prepare')])
      .when({ type: 'CompleteTaskByRef', taskRefName: 'approve', status: 'COMPLETED' })
      .thenIgnored('UNKNOWN_TASK', 'has not been scheduled yet');
  });
});
