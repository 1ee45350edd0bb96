import { simple, startWorkflowRequestOf, startWorkflowTask, workflow, type WorkflowTask } from '@app/domain';
import { deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const definition = workflow('kick_off').tasks(startWorkflowTask('audit', 'audit_trail', { orderId: '${workflow.input.orderId}' }, { version: 2 }), simple('ship', 'ship')).build();

describe('START_WORKFLOW', () => {
  it('given a START_WORKFLOW, when scheduled, then it is in progress with the resolved start request (the orchestrator starts the workflow)', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: { orderId: 'o-1' } })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { taskRefName: 'audit', taskType: 'START_WORKFLOW', input: { startWorkflow: { name: 'audit_trail', version: 2, input: { orderId: 'o-1' } } } } }])
      .andState((state) => expect(state.tasks['exec-1-1']?.status).toBe('IN_PROGRESS'));
  });

  it('given a started workflow reported, when the task completes with its id, then the flow moves on without waiting for it', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'audit', { taskType: 'START_WORKFLOW' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { workflowId: 'w-2' } })
      .thenMatches([{ type: 'TaskCompleted', data: { output: { workflowId: 'w-2' } } }, { type: 'TaskScheduled', data: { taskRefName: 'ship' } }, deadlineTimer()]);
  });

  it('given no startWorkflow input, when scheduled, then the task fails with Conductor\'s message and so does the execution', () => {
    const missing: WorkflowTask = { name: 'audit', taskReferenceName: 'audit', type: 'START_WORKFLOW', inputParameters: { startWorkflow: '${workflow.input.request}' } };
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: workflow('kick').tasks(missing).build(), taskDefs: {}, input: {} })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled' }, { type: 'TaskFailed', data: { reason: "Missing 'startWorkflow' in input data." } }, { type: 'ExecutionFailed' }]);
  });

  it('given a start request without correlationId or version, when read, then the parent correlation id is used and the latest version', () => {
    expect(startWorkflowRequestOf({ startWorkflow: { name: 'x', version: 0, correlationId: ' ' } }, 'order-7')).toEqual({ name: 'x', input: {}, correlationId: 'order-7' });
  });
});
