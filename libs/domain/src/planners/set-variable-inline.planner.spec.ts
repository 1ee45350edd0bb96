import { simple, workflow, workflowInput, type WorkflowTask } from '@app/domain';
import { deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

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
  it('given an INLINE script, when reached, then it is only scheduled with its inputs: the orchestrator runs it (its result is recorded, never re-run)', () => {
    const definition = workflow('inline').tasks(inline('total', 'Math.random() + $.items.size()', { items: workflowInput('items') }), simple('bill', 'bill')).build();
    executionSpec()
      .given([])
      .when(startOf(definition, { items: [1, 2] }))
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { taskRefName: 'total', taskType: 'INLINE', input: { evaluatorType: 'javascript', expression: 'Math.random() + $.items.size()', items: [1, 2] } } }])
      .andState((state) => expect(Object.keys(state.tasks)).toHaveLength(1));
  });

  it('given a scheduled INLINE script, when the orchestrator reports its result, then later tasks use it', () => {
    const definition = workflow('inline').tasks(inline('total', '$.a + 1', { a: 1 }), simple('bill', 'bill', { amount: '${total.output.result}' })).build();
    executionSpec()
      .given([startedEvent(definition), scheduledEvent('exec-1-1', 'total', { taskType: 'INLINE' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { result: 2 }, workerId: 'baton' })
      .thenMatches([{ type: 'TaskCompleted', data: { output: { result: 2 } } }, { type: 'TaskScheduled', data: { taskRefName: 'bill', input: { amount: 2 } } }, deadlineTimer()]);
  });

  it('given a scheduled INLINE script, when the orchestrator reports a script error (terminal), then the execution fails without a retry', () => {
    const definition = workflow('inline_bad').tasks(inline('boom', '$.missing.field')).build();
    executionSpec()
      .given([startedEvent(definition, { taskDefs: { boom: { name: 'boom', retryCount: 2, retryDelaySeconds: 0 } } }), scheduledEvent('exec-1-1', 'boom', { taskType: 'INLINE' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED_WITH_TERMINAL_ERROR', reason: 'TypeError', workerId: 'baton' })
      .thenMatches([{ type: 'TaskFailed', data: { terminal: true } }, { type: 'ExecutionFailed' }]);
  });

  it('given a value-param INLINE, when reached, then the decider evaluates it at once (it is pure)', () => {
    const definition = workflow('inline_vp').tasks({ name: 'pick', taskReferenceName: 'pick', type: 'INLINE', inputParameters: { evaluatorType: 'value-param', expression: 'tier', tier: workflowInput('tier') } }).build();
    executionSpec()
      .given([])
      .when(startOf(definition, { tier: 'gold' }))
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled' }, { type: 'TaskCompleted', data: { output: { result: 'gold' } } }, { type: 'ExecutionCompleted' }]);
  });
});
