import { dynamicTask, simple, workflow } from '@app/domain';
import { deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const definition = workflow('by_carrier').tasks(dynamicTask('ship', '${workflow.input.carrier}', { parcel: '${workflow.input.parcel}' }), simple('notify', 'notify')).build();
const registered = { ship_ups: { name: 'ship_ups', retryCount: 1, retryDelaySeconds: 0, inputTemplate: { service: 'ground' } } };

describe('DYNAMIC tasks', () => {
  it('given the input names a registered task, when the execution starts, then that task is scheduled as a worker task of that name with its input template', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: registered, input: { carrier: 'ship_ups', parcel: 'p1' } })
      .thenMatches([
        { type: 'ExecutionStarted', data: { taskDefs: { ship_ups: registered.ship_ups } } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-1', taskRefName: 'ship', taskDefName: 'ship_ups', taskType: 'SIMPLE', input: { service: 'ground', parcel: 'p1', taskToExecute: 'ship_ups' } } },
        deadlineTimer('exec-1-1'),
      ]);
  });

  it('given a scheduled DYNAMIC task, when it fails, then it is retried per the resolved task definition with the same input', () => {
    executionSpec()
      .given([
        startedEvent(definition, { taskDefs: registered, input: { carrier: 'ship_ups' } }),
        scheduledEvent('exec-1-1', 'ship', { taskDefName: 'ship_ups', input: { taskToExecute: 'ship_ups' } }),
      ])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'depot closed' })
      .thenMatches([
        { type: 'TaskFailed' },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-2', taskRefName: 'ship', taskDefName: 'ship_ups', taskType: 'SIMPLE', attempt: 2, retriedTaskId: 'exec-1-1', input: { taskToExecute: 'ship_ups' } } },
        deadlineTimer('exec-1-2'),
      ]);
  });

  it('given the input holds no task name, when the execution starts, then it fails with Conductor\'s message', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: registered, input: {} })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'ExecutionFailed', data: { reason: expect.stringContaining('Cannot map a dynamic task based on the parameter and input. Parameter= taskToExecute'), failedTaskRefName: 'ship' } }]);
  });

  it('given the input names a task with no task definition, when the execution starts, then it fails naming the task', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: registered, input: { carrier: 'ship_dhl' } })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'ExecutionFailed', data: { reason: 'Invalid task specified. Cannot find task by name ship_dhl in the task definitions' } }]);
  });
});
