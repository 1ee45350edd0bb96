import { publishEvent, simple, workflow, workflowInput } from '@app/domain';
import { deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const definition = workflow('announce').tasks(publishEvent('announce', 'jsm:orders.announced', { orderId: workflowInput('orderId') }), simple('after', 'after')).build();

describe('EVENT tasks', () => {
  it('given an EVENT task, when reached, then it is in progress with the payload as input (the orchestrator publishes it)', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: { orderId: 'o-9' } })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { taskRefName: 'announce', taskType: 'EVENT', input: { orderId: 'o-9' } } }]);
  });

  it('given a published event, when the orchestrator reports it, then the flow goes on', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'announce', { taskType: 'EVENT' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { subject: 'orders.announced' } })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled', data: { taskRefName: 'after' } }, deadlineTimer()]);
  });
});
