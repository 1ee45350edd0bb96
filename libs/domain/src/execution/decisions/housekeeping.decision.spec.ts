import { simple, workflow } from '@app/domain';
import { completedEvent, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const definition = workflow('kept').tasks(simple('a', 'a')).build();
const running = [startedEvent(definition, { taskDefs: { a: { name: 'a', retryCount: 0 } } }), scheduledEvent('exec-1-1', 'a')];
const completed = [...running, completedEvent('exec-1-1'), { type: 'ExecutionCompleted' as const, data: { output: {}, at: 4 } }];
const removed = [...completed, { type: 'ExecutionRemoved' as const, data: { at: 6 } }];

describe('remove an execution', () => {
  it('given an ended execution, when removed, then ExecutionRemoved is recorded and the state is marked removed', () => {
    executionSpec()
      .given(completed)
      .when({ type: 'RemoveExecution', reason: 'cleanup' }, { now: 6 })
      .then([{ type: 'ExecutionRemoved', data: { reason: 'cleanup', at: 6 } }])
      .andState((state) => expect({ removed: state.removed, status: state.status }).toEqual({ removed: true, status: 'COMPLETED' }));
  });

  it('given a running execution, when removed, then it is refused: it must be terminated first', () => {
    executionSpec().given(running).when({ type: 'RemoveExecution' }).thenIgnored('INVALID_EXECUTION_STATE', 'terminate it first');
  });

  it('given no execution, when removed, then it is unknown', () => {
    executionSpec().given([]).when({ type: 'RemoveExecution' }).thenIgnored('UNKNOWN_EXECUTION', 'no execution');
  });

  it.each([
    ['a retry', { type: 'RetryExecution' as const }],
    ['a restart', { type: 'RestartExecution' as const }],
    ['a second removal', { type: 'RemoveExecution' as const }],
    ['a task log', { type: 'AddTaskLog' as const, taskId: 'exec-1-1', log: 'late' }],
  ])('given a removed execution, when it gets %s, then it is unknown', (_what, command) => {
    executionSpec().given(removed).when(command).thenIgnored('UNKNOWN_EXECUTION', 'was removed');
  });
});

describe('task logs', () => {
  it('given a running task, when a log line is added, then TaskLogAdded is recorded and the task keeps its last report time', () => {
    executionSpec()
      .given(running)
      .when({ type: 'AddTaskLog', taskId: 'exec-1-1', log: 'step 1 done' }, { now: 9 })
      .then([{ type: 'TaskLogAdded', data: { taskId: 'exec-1-1', log: 'step 1 done', at: 9 } }])
      .andState((state) => expect({ logs: state.tasks['exec-1-1']!.logs, updatedAt: state.tasks['exec-1-1']!.updatedAt }).toEqual({ logs: ['step 1 done'], updatedAt: 0 }));
  });

  it('given an ended execution, when a log line is added to one of its tasks, then it is recorded (as Conductor)', () => {
    executionSpec().given(completed).when({ type: 'AddTaskLog', taskId: 'exec-1-1', log: 'audit note' }).thenEventTypes(['TaskLogAdded']);
  });

  it('given an unknown task id, when a log line is added, then it is refused as UNKNOWN_TASK', () => {
    executionSpec().given(running).when({ type: 'AddTaskLog', taskId: 'exec-1-9', log: 'x' }).thenIgnored('UNKNOWN_TASK', 'no task exec-1-9');
  });
});
