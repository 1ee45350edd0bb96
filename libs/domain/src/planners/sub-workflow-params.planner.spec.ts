import { simple, validateWorkflowDef, workflow, type WorkflowDef, type WorkflowTask } from '@app/domain';
import { executionSpec } from '@app/testing/decider';

const child = workflow('inline_child').tasks(simple('work', 'work')).build();
const withParam = (subWorkflowParam: WorkflowTask['subWorkflowParam']): WorkflowDef =>
  workflow('parent').tasks({ name: 'child', taskReferenceName: 'child', type: 'SUB_WORKFLOW', subWorkflowParam, inputParameters: { x: 1 } }).build();
const start = (definition: WorkflowDef, input: Record<string, unknown>) => ({ type: 'StartExecution' as const, executionId: 'exec-1', definition, taskDefs: {}, input });

describe('SUB_WORKFLOW parameters Conductor accepts', () => {
  it('given name and version as workflow input expressions, when scheduled, then the resolved child is recorded on TaskScheduled', () => {
    executionSpec()
      .given([])
      .when(start(withParam({ name: '${workflow.input.flow}', version: '${workflow.input.flowVersion}' }), { flow: 'billing', flowVersion: 3 }))
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { taskRefName: 'child', input: { x: 1 }, subWorkflow: { name: 'billing', version: 3 } } }]);
  });

  it('given a literal name, when scheduled, then TaskScheduled is as before (nothing to resolve)', () => {
    executionSpec()
      .given([])
      .when(start(withParam({ name: 'billing', version: 2 }), {}))
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { taskRefName: 'child' } }])
      .andState((state) => expect(state.tasks['exec-1-1']).toBeDefined());
  });

  it('given an inline workflowDefinition, when scheduled, then the child runs that definition (recorded whole)', () => {
    executionSpec()
      .given([])
      .when(start(withParam({ workflowDefinition: child }), {}))
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { subWorkflow: { name: 'inline_child', version: 1, definition: child } } }]);
  });

  it('given a workflowDefinition expression, when it resolves to an invalid definition, then the task fails for good with the problems', () => {
    executionSpec()
      .given([])
      .when(start(withParam({ workflowDefinition: '${workflow.input.def}' }), { def: { name: 'broken', tasks: [] } }))
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled' }, { type: 'TaskFailed', data: { reason: expect.stringContaining('inline workflowDefinition is not valid: tasks'), terminal: true } }, { type: 'ExecutionFailed' }]);
  });

  it('given a name expression that resolves to nothing, when scheduled, then the task fails for good naming the param', () => {
    executionSpec()
      .given([])
      .when(start(withParam({ name: '${workflow.input.flow}' }), {}))
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled' }, { type: 'TaskFailed', data: { reason: expect.stringContaining('subWorkflowParam.name resolved to') } }, { type: 'ExecutionFailed' }]);
  });

  it('given expressions, an inline definition, or a malformed one, when validated, then only the malformed one is refused', () => {
    expect(validateWorkflowDef(withParam({ name: '${workflow.input.flow}', version: '${workflow.input.v}' }))).toEqual([]);
    expect(validateWorkflowDef(withParam({ workflowDefinition: child }))).toEqual([]);
    expect(validateWorkflowDef(withParam({ workflowDefinition: '${workflow.input.def}' }))).toEqual([]);
    expect(validateWorkflowDef(withParam({ workflowDefinition: { name: 'x', tasks: [] } }))).toEqual([{ path: 'tasks[0].subWorkflowParam.workflowDefinition.tasks', message: expect.any(String) }]);
    expect(validateWorkflowDef(withParam({ name: 'billing', version: 'two' }))).toEqual([{ path: 'tasks[0].subWorkflowParam.version', message: expect.any(String) }]);
  });
});
