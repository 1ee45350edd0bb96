import { forkJoinDynamic, simple, taskOutput, validateWorkflowDef, workflow } from '@app/domain';
import { completedEvent, deadlineTimer, executionSpec } from '@app/testing/decider';

const definition = workflow('fan_out')
  .tasks(simple('plan', 'plan'), forkJoinDynamic('fan', taskOutput('plan', 'tasks'), taskOutput('plan', 'inputs'), { joinRef: 'fan_join' }), simple('sum', 'sum', { results: taskOutput('fan_join') }))
  .build();
const started = executionSpec().given([]).when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: {} }).decision.events;
const planned = { tasks: [{ name: 'resize', taskReferenceName: 'resize_a' }, { name: 'resize', taskReferenceName: 'resize_b' }], inputs: { resize_a: { size: 1 }, resize_b: { size: 2 } } };

describe('FORK_JOIN_DYNAMIC', () => {
  it('given a plan listing two tasks, when the fork is reached, then each becomes a branch with its input and the JOIN waits on both', () => {
    executionSpec()
      .given(started)
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: planned })
      .thenMatches([
        { type: 'TaskCompleted' },
        { type: 'TaskScheduled', data: { taskRefName: 'fan', taskType: 'FORK_JOIN_DYNAMIC' } },
        { type: 'DynamicTasksForked', data: { forkRef: 'fan', tasks: [{ taskReferenceName: 'resize_a', inputParameters: { size: 1 } }, { taskReferenceName: 'resize_b', inputParameters: { size: 2 } }] } },
        { type: 'TaskCompleted', data: { output: { forkedTasks: ['resize_a', 'resize_b'] } } },
        { type: 'TaskScheduled', data: { taskRefName: 'resize_a', taskDefName: 'resize', input: { size: 1 } } },
        deadlineTimer(),
        { type: 'TaskScheduled', data: { taskRefName: 'resize_b', input: { size: 2 } } },
        deadlineTimer(),
        { type: 'TaskScheduled', data: { taskRefName: 'fan_join', taskType: 'JOIN', input: { joinOn: ['resize_a', 'resize_b'] } } },
      ]);
  });

  it('given both dynamic branches complete, when the last one does, then the JOIN completes with their outputs and the flow goes on', () => {
    const forked = executionSpec().given(started).when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: planned }).decision.events;
    executionSpec()
      .given([...started, ...forked, completedEvent('exec-1-3', { url: 'a' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-4', status: 'COMPLETED', output: { url: 'b' } })
      .thenMatches([
        { type: 'TaskCompleted', data: { taskId: 'exec-1-4' } },
        { type: 'TaskCompleted', data: { taskId: 'exec-1-5', output: { resize_a: { url: 'a' }, resize_b: { url: 'b' } } } },
        { type: 'TaskScheduled', data: { taskRefName: 'sum', input: { results: { resize_a: { url: 'a' }, resize_b: { url: 'b' } } } } },
        deadlineTimer(),
      ]);
  });

  it('given a plan that reuses a reference name, when the fork is reached, then the fork and the execution fail with the reason', () => {
    executionSpec()
      .given(started)
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { tasks: [{ name: 'x', taskReferenceName: 'plan' }] } })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled' }, { type: 'TaskFailed', data: { reason: expect.stringContaining('plan is already used'), terminal: true } }, { type: 'ExecutionFailed' }]);
  });

  it('given a definition whose dynamic fork has no JOIN after it or no task list parameter, when validated, then both problems are listed', () => {
    const broken = { name: 'bad', tasks: [{ name: 'fan', taskReferenceName: 'fan', type: 'FORK_JOIN_DYNAMIC', inputParameters: {} }] };
    expect(validateWorkflowDef(broken).map((problem) => problem.message)).toEqual([
      expect.stringContaining('inputParameters.dynamicTasks'),
      expect.stringContaining('must be followed directly by a JOIN'),
    ]);
    expect(validateWorkflowDef(definition)).toEqual([]);
  });
});
