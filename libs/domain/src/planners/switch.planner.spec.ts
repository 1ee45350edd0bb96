import { simple, switchTask, taskOutput, workflow } from '@app/domain';
import { completedEvent, deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const byVerdict = (evaluatorType: 'value-param' | 'javascript', expression: string) =>
  workflow('fraud_gate')
    .tasks(
      simple('check_fraud', 'fraud'),
      switchTask('route', {
        evaluatorType,
        expression,
        inputParameters: { verdict: taskOutput('fraud', 'verdict') },
        cases: { reject: [simple('notify', 'notify_rejected')], accept: [simple('charge', 'charge')] },
        defaultCase: [simple('review', 'manual_review')],
      }),
      simple('archive', 'archive'),
    )
    .build();

const afterFraud = (definition: ReturnType<typeof byVerdict>) => [startedEvent(definition), scheduledEvent('exec-1-1', 'fraud')];

describe('SWITCH tasks', () => {
  it('given value-param, when the verdict matches a case, then the switch completes with evaluationResult and the case runs', () => {
    executionSpec()
      .given(afterFraud(byVerdict('value-param', 'verdict')))
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { verdict: 'accept' } })
      .thenMatches([
        { type: 'TaskCompleted', data: { taskId: 'exec-1-1' } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-2', taskRefName: 'route', taskType: 'SWITCH', input: { verdict: 'accept' } } },
        { type: 'TaskCompleted', data: { taskId: 'exec-1-2', output: { evaluationResult: ['accept'], selectedCase: 'accept' } } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-3', taskRefName: 'charge' } },
        deadlineTimer('exec-1-3'),
      ]);
  });

  it('given a javascript expression, when evaluated, then its value picks the case', () => {
    executionSpec()
      .given(afterFraud(byVerdict('javascript', "$.verdict == 'bad' ? 'reject' : 'accept'")))
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { verdict: 'bad' } })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled' }, { type: 'TaskCompleted', data: { output: { evaluationResult: ['reject'] } } }, { type: 'TaskScheduled', data: { taskRefName: 'notify_rejected' } }, deadlineTimer()]);
  });

  it('given no case matches, when evaluated, then the default case runs', () => {
    executionSpec()
      .given(afterFraud(byVerdict('value-param', 'verdict')))
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { verdict: 'unsure' } })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled' }, { type: 'TaskCompleted', data: { output: { evaluationResult: ['unsure'] } } }, { type: 'TaskScheduled', data: { taskRefName: 'manual_review' } }, deadlineTimer()]);
  });

  it('given the last task of a case completes, when decided, then the flow continues after the switch', () => {
    const definition = byVerdict('value-param', 'verdict');
    executionSpec()
      .given([
        ...afterFraud(definition),
        completedEvent('exec-1-1', { verdict: 'accept' }),
        scheduledEvent('exec-1-2', 'route', { taskType: 'SWITCH' }),
        completedEvent('exec-1-2', { evaluationResult: ['accept'] }),
        scheduledEvent('exec-1-3', 'charge'),
      ])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-3', status: 'COMPLETED' })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled', data: { taskRefName: 'archive' } }, deadlineTimer()]);
  });

  it('given no case matches and there is no default, when evaluated, then the switch is passed over', () => {
    const definition = workflow('no_default')
      .tasks(switchTask('route', { expression: 'kind', inputParameters: { kind: 'x' }, cases: { y: [simple('a', 'a')] } }), simple('b', 'b'))
      .build();
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: {} })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { taskRefName: 'route' } }, { type: 'TaskCompleted' }, { type: 'TaskScheduled', data: { taskRefName: 'b' } }, deadlineTimer()]);
  });

  it('given an expression that throws at run time, when evaluated, then the switch fails and so does the execution', () => {
    executionSpec()
      .given(afterFraud(byVerdict('javascript', '$.verdict.toUpperCase()')))
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: {} })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled' }, { type: 'TaskFailed', data: { terminal: true } }, { type: 'ExecutionFailed', data: { failedTaskRefName: 'route' } }]);
  });
});
