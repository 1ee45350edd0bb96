import { validateWorkflowDef, type WorkflowTask } from '@app/domain';

const problemsOf = (task: WorkflowTask) => validateWorkflowDef({ name: 'wf', version: 1, schemaVersion: 2, tasks: [task] }).map((problem) => [problem.path, problem.message]);

describe('definition validation: HTTP, JSON_JQ_TRANSFORM, LAMBDA, INLINE', () => {
  it.each<[string, WorkflowTask]>([
    ['HTTP with http_request', { name: 'h', taskReferenceName: 'h', type: 'HTTP', inputParameters: { http_request: { uri: 'http://x', method: 'GET' } } }],
    ['HTTP with http_request as a reference', { name: 'h', taskReferenceName: 'h', type: 'HTTP', inputParameters: { http_request: '${workflow.input.req}' } }],
    ['HTTP with a flat uri and method', { name: 'h', taskReferenceName: 'h', type: 'HTTP', inputParameters: { uri: 'http://x', method: 'GET' } }],
    ['HTTP whose request may come from a registered task definition', { name: 'h', taskReferenceName: 'h', type: 'HTTP' }],
    ['HTTP with http_request in its inline task definition', { name: 'h', taskReferenceName: 'h', type: 'HTTP', taskDefinition: { name: 'h', inputTemplate: { http_request: { uri: 'http://x', method: 'GET' } } } }],
    ['JSON_JQ_TRANSFORM with a queryExpression', { name: 'j', taskReferenceName: 'j', type: 'JSON_JQ_TRANSFORM', inputParameters: { queryExpression: '.a' } }],
    ['JSON_JQ_TRANSFORM whose program may come from a registered task definition', { name: 'j', taskReferenceName: 'j', type: 'JSON_JQ_TRANSFORM' }],
    ['LAMBDA with a scriptExpression', { name: 'l', taskReferenceName: 'l', type: 'LAMBDA', inputParameters: { scriptExpression: 'return 1;' } }],
    ['INLINE with syntax the decider\'s own evaluator does not know (QuickJS runs it)', { name: 'i', taskReferenceName: 'i', type: 'INLINE', inputParameters: { expression: 'class A { #x = 1; get x() { return this.#x; } } new A().x' } }],
  ])('given %s, then it is accepted', (_what, task) => {
    expect(problemsOf(task)).toEqual([]);
  });

  it.each<[string, WorkflowTask, string]>([
    ['HTTP with an http_request that is a list', { name: 'h', taskReferenceName: 'h', type: 'HTTP', inputParameters: { http_request: [1] } }, 'tasks[0].inputParameters.http_request'],
    ['HTTP with an inline task definition and no request', { name: 'h', taskReferenceName: 'h', type: 'HTTP', inputParameters: { uri: 'http://x' }, taskDefinition: { name: 'h' } }, 'tasks[0].inputParameters'],
    ['JSON_JQ_TRANSFORM with a blank queryExpression', { name: 'j', taskReferenceName: 'j', type: 'JSON_JQ_TRANSFORM', inputParameters: { queryExpression: ' ' } }, 'tasks[0].inputParameters.queryExpression'],
    ['LAMBDA without a scriptExpression', { name: 'l', taskReferenceName: 'l', type: 'LAMBDA', inputParameters: {} }, 'tasks[0].inputParameters.scriptExpression'],
  ])('given %s, then it is refused at the field', (_what, task, path) => {
    expect(problemsOf(task).map(([at]) => at)).toEqual([path]);
  });
});
