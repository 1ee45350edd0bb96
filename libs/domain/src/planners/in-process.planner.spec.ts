import { httpTask, jsonJqTransform, lambda, simple, workflow, workflowInput } from '@app/domain';
import { deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const definition = workflow('in_process')
  .tasks(httpTask('call_api', { uri: workflowInput('uri'), method: 'GET' }), jsonJqTransform('shape', '.body.n', { body: '${call_api.output.response.body}' }), lambda('calc', 'return $.n + 1;', { n: '${shape.output.result}' }), simple('after', 'after'))
  .build();
const failure = (taskId: string) => ({ type: 'ApplyTaskResult', taskId, status: 'FAILED', reason: 'HTTP 503', output: { response: { statusCode: 503 } }, workerId: 'baton' }) as const;

describe('HTTP, JSON_JQ_TRANSFORM and LAMBDA (run by the orchestrator)', () => {
  it('given an HTTP task, when reached, then it is scheduled with its resolved request and nothing else happens (no deadline timer)', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: { uri: 'http://127.0.0.1/x' } })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { taskRefName: 'call_api', taskType: 'HTTP', input: { http_request: { uri: 'http://127.0.0.1/x', method: 'GET' } } } }])
      .andState((state) => expect(state.timers).toEqual({}));
  });

  it('given a task definition of its name with an inputTemplate, when reached, then the template fills what inputParameters leave out', () => {
    const taskDefs = { call_api: { name: 'call_api', inputTemplate: { http_request: { uri: 'http://fallback', method: 'POST' }, extra: 1 } } };
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: workflow('tpl').tasks({ name: 'call_api', taskReferenceName: 'call_api', type: 'HTTP' }).build(), taskDefs, input: {} })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { input: { http_request: { uri: 'http://fallback', method: 'POST' }, extra: 1 } } }]);
  });

  it('given each reported result, when applied, then the next in-process task gets it as input', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'call_api', { taskType: 'HTTP' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { response: { statusCode: 200, body: { n: 4 } } }, workerId: 'baton' })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled', data: { taskRefName: 'shape', taskType: 'JSON_JQ_TRANSFORM', input: { body: { n: 4 }, queryExpression: '.body.n' } } }]);
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'call_api', { taskType: 'HTTP' }), { type: 'TaskCompleted', data: { taskId: 'exec-1-1', output: {}, at: 1 } }, scheduledEvent('exec-1-2', 'shape', { taskType: 'JSON_JQ_TRANSFORM' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'COMPLETED', output: { result: 4, resultList: [4] }, workerId: 'baton' })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled', data: { taskRefName: 'calc', taskType: 'LAMBDA', input: { n: 4, scriptExpression: 'return $.n + 1;' } } }]);
  });

  it('given a failed attempt and no task definition of its name, when applied, then it is not retried (Conductor: system tasks retry only under their own definition)', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'call_api', { taskType: 'HTTP' })])
      .when(failure('exec-1-1'))
      .thenMatches([{ type: 'TaskFailed', data: { terminal: false } }, { type: 'ExecutionFailed' }]);
  });

  it('given a failed attempt and a task definition of its name with retries, when applied, then it is retried with the same input after the delay', () => {
    const taskDefs = { call_api: { name: 'call_api', retryCount: 1, retryDelaySeconds: 2 } };
    executionSpec()
      .given([startedEvent(definition, { taskDefs }), scheduledEvent('exec-1-1', 'call_api', { taskType: 'HTTP', input: { http_request: { uri: 'u', method: 'GET' } } })])
      .when(failure('exec-1-1'), { now: 10 })
      .thenMatches([{ type: 'TaskFailed' }, { type: 'TimerStarted', data: { dueAt: 2_010, purpose: { kind: 'RETRY', taskRefName: 'call_api' } } }]);
  });

  it('given a LAMBDA that failed terminally, when applied, then the execution fails even with retries left', () => {
    const taskDefs = { calc: { name: 'calc', retryCount: 3 } };
    executionSpec()
      .given([startedEvent(definition, { taskDefs }), scheduledEvent('exec-1-3', 'calc', { taskType: 'LAMBDA' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-3', status: 'FAILED_WITH_TERMINAL_ERROR', reason: 'x', workerId: 'baton' })
      .thenMatches([{ type: 'TaskFailed', data: { terminal: true } }, { type: 'ExecutionFailed' }]);
  });

  it('given a LAMBDA followed by a worker task, when completed, then the worker task is scheduled with its deadline', () => {
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-3', 'calc', { taskType: 'LAMBDA' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-3', status: 'COMPLETED', output: { result: 5 }, workerId: 'baton' })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled', data: { taskRefName: 'after', taskType: 'SIMPLE' } }, deadlineTimer()]);
  });
});
