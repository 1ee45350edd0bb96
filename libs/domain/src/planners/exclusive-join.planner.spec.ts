import { exclusiveJoin, simple, switchTask, workflow } from '@app/domain';
import { completedEvent, deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const definition = workflow('routing')
  .tasks(
    switchTask('route', { expression: 'kind', inputParameters: { kind: '${workflow.input.kind}' }, cases: { card: [simple('charge_card', 'card')], bank: [simple('charge_bank', 'bank')] }, defaultCase: [simple('manual', 'manual')] }),
    exclusiveJoin('paid', ['card', 'bank'], ['manual']),
    simple('ship', 'ship'),
  )
  .build();

const routedToBank = [
  startedEvent(definition, { input: { kind: 'bank' } }),
  scheduledEvent('exec-1-1', 'route', { taskType: 'SWITCH' }),
  completedEvent('exec-1-1', { evaluationResult: ['bank'], selectedCase: 'bank' }),
  scheduledEvent('exec-1-2', 'bank', { taskDefName: 'charge_bank' }),
];

describe('EXCLUSIVE_JOIN', () => {
  it('given the bank case ran, when its task completes, then the EXCLUSIVE_JOIN completes with that task output and the flow continues', () => {
    executionSpec()
      .given(routedToBank)
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'COMPLETED', output: { paymentId: 'p-1' } })
      .thenMatches([
        { type: 'TaskCompleted', data: { taskId: 'exec-1-2' } },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-3', taskRefName: 'paid', taskType: 'EXCLUSIVE_JOIN', input: { joinOn: ['card', 'bank'], defaultExclusiveJoinTask: ['manual'] } } },
        { type: 'TaskCompleted', data: { taskId: 'exec-1-3', output: { paymentId: 'p-1' } } },
        { type: 'TaskScheduled', data: { taskRefName: 'ship' } },
        deadlineTimer(),
      ]);
  });

  it('given no joinOn task ran, when the default case task completes, then the EXCLUSIVE_JOIN joins on defaultExclusiveJoinTask', () => {
    executionSpec()
      .given([
        startedEvent(definition, { input: { kind: 'cash' } }),
        scheduledEvent('exec-1-1', 'route', { taskType: 'SWITCH' }),
        completedEvent('exec-1-1', { evaluationResult: ['cash'] }),
        scheduledEvent('exec-1-2', 'manual'),
      ])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'COMPLETED', output: { by: 'clerk' } })
      .thenMatches([
        { type: 'TaskCompleted', data: { taskId: 'exec-1-2' } },
        { type: 'TaskScheduled', data: { taskRefName: 'paid', taskType: 'EXCLUSIVE_JOIN' } },
        { type: 'TaskCompleted', data: { taskId: 'exec-1-3', output: { by: 'clerk' } } },
        { type: 'TaskScheduled', data: { taskRefName: 'ship' } },
        deadlineTimer(),
      ]);
  });

  it('given an EXCLUSIVE_JOIN whose joined task has not ended, when another step is decided, then it keeps waiting', () => {
    const early = workflow('early').tasks(simple('a', 'a'), exclusiveJoin('join_a', ['a'])).build();
    executionSpec()
      .given([startedEvent(early), scheduledEvent('exec-1-1', 'a'), scheduledEvent('exec-1-2', 'join_a', { taskType: 'EXCLUSIVE_JOIN', input: { joinOn: ['a'], defaultExclusiveJoinTask: [] } })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'IN_PROGRESS' })
      .thenEventTypes(['TaskProgressReported'])
      .andState((state) => expect(state.tasks['exec-1-2']?.status).toBe('IN_PROGRESS'));
  });

  it('given an EXCLUSIVE_JOIN, when a worker result targets it, then it is ignored because it is a system task', () => {
    executionSpec()
      .given([...routedToBank, scheduledEvent('exec-1-3', 'paid', { taskType: 'EXCLUSIVE_JOIN' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-3', status: 'COMPLETED' })
      .thenIgnored('TASK_NOT_EXTERNAL');
  });
});
