import { failureWorkflowOf, simple, validateWorkflowDef, workflow, type WorkflowDef } from '@app/domain';
import { executionSpec } from '@app/testing/decider';

const named = (failureWorkflow: string, extra: Partial<WorkflowDef> = {}): WorkflowDef => ({ ...workflow('wf').tasks(simple('a', 'a')).build(), failureWorkflow, ...extra });

describe('failureWorkflow as SDKs and Conductor definitions write it', () => {
  it('given an empty value, a name, $workflow.input.<key> or ${workflow.input.<key>}, when validated, then each is accepted; another expression is not', () => {
    for (const value of ['', 'compensate', '$workflow.input.onFailure', '${workflow.input.onFailure}']) expect(validateWorkflowDef(named(value))).toEqual([]);
    expect(validateWorkflowDef(named('${a.output.b}'))).toEqual([{ path: 'failureWorkflow', message: expect.stringContaining('$workflow.input.<key>') }]);
  });

  it('given each form, when the failure workflow of an execution is looked up, then empty means none and an input reference takes the input value', () => {
    const input = { onFailure: 'refund_flow' };
    expect(failureWorkflowOf(named(''), input)).toBeUndefined();
    expect(failureWorkflowOf(named('compensate'), input)).toBe('compensate');
    expect(failureWorkflowOf(named('$workflow.input.onFailure'), input)).toBe('refund_flow');
    expect(failureWorkflowOf(named('${workflow.input.onFailure}'), input)).toBe('refund_flow');
    expect(failureWorkflowOf(named('$workflow.input.onFailure'), {})).toBeUndefined();
  });
});

describe('workflow inputTemplate (Conductor: shallow defaults, skipped for an empty input)', () => {
  const templated = named('', { inputTemplate: { currency: 'EUR', priority: 'normal', nested: { a: 1 } } });

  it('given inputs with one absent and one null, when started, then the template fills them and keeps what was given', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: templated, taskDefs: {}, input: { amount: 5, priority: null, currency: 'USD' } })
      .thenMatches([{ type: 'ExecutionStarted', data: { input: { amount: 5, currency: 'USD', priority: 'normal', nested: { a: 1 } } } }, { type: 'TaskScheduled' }, { type: 'TimerStarted' }]);
  });

  it('given an empty input, when started, then the template is not applied (as Conductor)', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: templated, taskDefs: {}, input: {} })
      .thenMatches([{ type: 'ExecutionStarted', data: { input: {} } }, { type: 'TaskScheduled' }, { type: 'TimerStarted' }]);
  });

  it('given an empty inputTemplate as SDK builders send it, when validated, then it is accepted', () => {
    expect(validateWorkflowDef(named('', { inputTemplate: {} }))).toEqual([]);
  });
});
