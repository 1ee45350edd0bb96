import { simple, workflow, workflowInput, type WorkflowTask } from '@app/domain';
import { deadlineTimer, executionSpec } from '@app/testing/decider';

const setVariable = (ref: string, inputParameters: Record<string, unknown>): WorkflowTask => ({ name: ref, taskReferenceName: ref, type: 'SET_VARIABLE', inputParameters });
const inline = (ref: string, expression: string, inputs: Record<string, unknown> = {}): WorkflowTask => ({
  name: ref,
  taskReferenceName: ref,
  type: 'INLINE',
  inputParameters: { evaluatorType: 'javascript', expression, ...inputs },
});
const startOf = (definition: ReturnType<ReturnType<typeof workflow>['build']>, input: Record<string, unknown> = {}) =>
  ({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input }) as const;

describe('SET_VARIABLE', () => {
  it('given a SET_VARIABLE, when reached, then its inputs become workflow variables that later tasks read', () => {
    const definition = workflow('vars').variables({ region: 'eu' }).tasks(setVariable('remember', { tier: workflowInput('tier') }), simple('use', 'use', { tier: '${workflow.variables.tier}', region: '${workflow.variables.region}' })).build();
    executionSpec()
      .given([])
      .when(startOf(definition, { tier: 'gold' }), { now: 5 })
      .thenMatches([
        { type: 'ExecutionStarted' },
        { type: 'TaskScheduled', data: { taskRefName: 'remember', taskType: 'SET_VARIABLE' } },
        { type: 'VariablesUpdated', data: { variables: { tier: 'gold' } } },
        { type: 'TaskCompleted' },
        { type: 'TaskScheduled', data: { taskRefName: 'use', input: { tier: 'gold', region: 'eu' } } },
        deadlineTimer(),
      ])
      .andState((state) => expect(state.variables).toEqual({ region: 'eu', tier: 'gold' }));
  });
});

describe('INLINE', () => {
  it('given an INLINE script, when reached, then its result is the output and later tasks can use it', () => {
    const definition = workflow('inline').tasks(inline('total', '(function(){ var sum = 0; for (const i of $.items) { sum += i.price; } return sum; })()', { items: workflowInput('items') }), simple('bill', 'bill', { amount: '${total.output.result}' })).build();
    executionSpec()
      .given([])
      .when(startOf(definition, { items: [{ price: 2 }, { price: 3 }] }))
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled' }, { type: 'TaskCompleted', data: { output: { result: 5 } } }, { type: 'TaskScheduled', data: { input: { amount: 5 } } }, deadlineTimer()]);
  });

  it('given an INLINE script that throws, when reached, then the task fails for good and so does the execution', () => {
    const definition = workflow('inline_bad').tasks(inline('boom', '$.missing.field')).build();
    executionSpec()
      .given([])
      .when(startOf(definition))
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled' }, { type: 'TaskFailed', data: { terminal: true } }, { type: 'ExecutionFailed' }]);
  });

  it('given a script that never ends, when reached, then the step budget stops it and the task fails', () => {
    const definition = workflow('inline_loop').tasks(inline('spin', '(function(){ while (true) {} })()')).build();
    executionSpec()
      .given([])
      .when(startOf(definition))
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled' }, { type: 'TaskFailed', data: { reason: expect.stringMatching(/exceeded|step/i) } }, { type: 'ExecutionFailed' }]);
  });
});
