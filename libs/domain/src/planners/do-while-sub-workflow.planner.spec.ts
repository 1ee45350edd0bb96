import { doWhile, simple, subWorkflow, workflow, workflowInput } from '@app/domain';
import { completedEvent, deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const loop = workflow('loop').tasks(doWhile('retry_loop', '$.retry_loop.iteration < $.times', [simple('poll', 'poll')], { times: workflowInput('times') }), simple('after', 'after')).build();

describe('DO_WHILE', () => {
  it('given a loop, when it starts, then iteration 1 begins and its body runs', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: loop, taskDefs: {}, input: { times: 2 } })
      .thenMatches([
        { type: 'ExecutionStarted' },
        { type: 'TaskScheduled', data: { taskId: 'exec-1-1', taskRefName: 'retry_loop', taskType: 'DO_WHILE', input: { times: 2 } } },
        { type: 'LoopIterationStarted', data: { taskId: 'exec-1-1', iteration: 1 } },
        { type: 'TaskScheduled', data: { taskRefName: 'poll', iteration: 1 } },
        deadlineTimer(),
      ]);
  });

  const firstIteration = [startedEvent(loop, { input: { times: 2 } }), scheduledEvent('exec-1-1', 'retry_loop', { taskType: 'DO_WHILE', input: { times: 2 } }), { type: 'LoopIterationStarted' as const, data: { taskId: 'exec-1-1', iteration: 1, at: 0 } }, scheduledEvent('exec-1-2', 'poll', { iteration: 1 })];

  it('given the condition holds after an iteration, when the body completes, then the next iteration starts', () => {
    executionSpec()
      .given(firstIteration)
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'COMPLETED', output: { n: 1 } })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'LoopIterationStarted', data: { iteration: 2 } }, { type: 'TaskScheduled', data: { taskRefName: 'poll', iteration: 2 } }, deadlineTimer()]);
  });

  it('given the condition fails, when the body completes, then the loop completes with each iteration output and the flow goes on', () => {
    executionSpec()
      .given([...firstIteration, completedEvent('exec-1-2', { n: 1 }), { type: 'LoopIterationStarted', data: { taskId: 'exec-1-1', iteration: 2, at: 1 } }, scheduledEvent('exec-1-3', 'poll', { iteration: 2 })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-3', status: 'COMPLETED', output: { n: 2 } })
      .thenMatches([
        { type: 'TaskCompleted', data: { taskId: 'exec-1-3' } },
        { type: 'TaskCompleted', data: { taskId: 'exec-1-1', output: { iteration: 2, 1: { poll: { n: 1 } }, 2: { poll: { n: 2 } } } } },
        { type: 'TaskScheduled', data: { taskRefName: 'after' } },
        deadlineTimer(),
      ]);
  });

  it('given a condition that throws, when the body completes, then the loop and the execution fail', () => {
    const broken = workflow('broken_loop').tasks(doWhile('l', '$.missing.x > 1', [simple('poll', 'poll')])).build();
    executionSpec()
      .given([startedEvent(broken), scheduledEvent('exec-1-1', 'l', { taskType: 'DO_WHILE' }), { type: 'LoopIterationStarted', data: { taskId: 'exec-1-1', iteration: 1, at: 0 } }, scheduledEvent('exec-1-2', 'poll')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'COMPLETED' })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskFailed', data: { taskId: 'exec-1-1', terminal: true } }, { type: 'ExecutionFailed' }]);
  });
});

describe('SUB_WORKFLOW', () => {
  const parent = workflow('parent').tasks(subWorkflow('child', 'child_flow', { orderId: workflowInput('orderId') }), simple('after', 'after', { fromChild: '${child.output.total}' })).build();

  it('given a SUB_WORKFLOW, when reached, then it is in progress with the child input (the orchestrator starts the child)', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: parent, taskDefs: {}, input: { orderId: 'o-1' } })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { taskRefName: 'child', taskType: 'SUB_WORKFLOW', input: { orderId: 'o-1' } } }])
      .andState((state) => expect(state.tasks['exec-1-1']?.status).toBe('IN_PROGRESS'));
  });

  it('given a running child, when the child completes, then the task completes with its output and the flow goes on', () => {
    executionSpec()
      .given([startedEvent(parent), scheduledEvent('exec-1-1', 'child', { taskType: 'SUB_WORKFLOW' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { total: 42, subWorkflowId: 'c-1' } })
      .thenMatches([{ type: 'TaskCompleted' }, { type: 'TaskScheduled', data: { taskRefName: 'after', input: { fromChild: 42 } } }, deadlineTimer()]);
  });

  it('given a running child, when the child fails, then the task and the parent fail (a SUB_WORKFLOW is not retried)', () => {
    executionSpec()
      .given([startedEvent(parent), scheduledEvent('exec-1-1', 'child', { taskType: 'SUB_WORKFLOW' })])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'FAILED', reason: 'child failed' })
      .thenMatches([{ type: 'TaskFailed' }, { type: 'ExecutionFailed', data: { failedTaskRefName: 'child' } }]);
  });
});
