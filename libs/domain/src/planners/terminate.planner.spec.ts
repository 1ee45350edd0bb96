import { forkJoin, simple, terminate, workflow } from '@app/domain';
import { deadlineTimer, executionSpec } from '@app/testing/decider';

describe('TERMINATE tasks', () => {
  it('given a TERMINATE whose workflowOutput is not an object, when reached, then the execution output wraps it as { output } (Conductor)', () => {
    const definition = workflow('stop').tasks(terminate('stop', 'COMPLETED', { reason: 'done early', workflowOutput: '${workflow.input.total}' })).build();
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: { total: 42 } })
      .thenMatches([
        { type: 'ExecutionStarted' },
        { type: 'TaskScheduled' },
        { type: 'TaskCompleted', data: { output: { terminationStatus: 'COMPLETED', terminationReason: 'done early', output: 42 } } },
        { type: 'ExecutionCompleted', data: { output: { output: 42 } } },
      ]);
  });

  it('given a TERMINATE with FAILED, when reached, then the execution fails with its reason and output', () => {
    const definition = workflow('stop').tasks(terminate('stop', 'FAILED', { reason: 'fraud suspected', workflowOutput: { refused: true } })).build();
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: {} })
      .thenMatches([
        { type: 'ExecutionStarted' },
        { type: 'TaskScheduled', data: { taskRefName: 'stop', taskType: 'TERMINATE' } },
        { type: 'TaskCompleted', data: { output: { terminationStatus: 'FAILED', terminationReason: 'fraud suspected', refused: true } } },
        { type: 'ExecutionFailed', data: { reason: 'fraud suspected', output: { refused: true }, failedTaskRefName: 'stop' } },
      ]);
  });

  it('given a TERMINATE in one branch, when reached, then the other branch is canceled and the execution is TERMINATED', () => {
    const definition = workflow('race')
      .tasks(forkJoin('f', [[simple('slow', 'slow')], [terminate('stop', 'TERMINATED', { reason: 'enough' })]], { joinOn: ['slow'] }))
      .build();
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: {} })
      .thenMatches([
        { type: 'ExecutionStarted' },
        { type: 'TaskScheduled', data: { taskRefName: 'f' } },
        { type: 'TaskCompleted' },
        { type: 'TaskScheduled', data: { taskRefName: 'slow' } },
        deadlineTimer(),
        { type: 'TaskScheduled', data: { taskRefName: 'stop' } },
        { type: 'TaskCompleted', data: { taskId: 'exec-1-3' } },
        { type: 'TaskCanceled', data: { taskId: 'exec-1-2' } },
        { type: 'ExecutionTerminated', data: { reason: 'enough', byTaskRefName: 'stop' } },
      ]);
  });

  it('given a TERMINATE with COMPLETED, when reached, then the execution completes and later tasks never run', () => {
    const definition = workflow('early').tasks(terminate('done', 'COMPLETED', { workflowOutput: { early: true } }), simple('never', 'never')).build();
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: {} })
      .thenEventTypes(['ExecutionStarted', 'TaskScheduled', 'TaskCompleted', 'ExecutionCompleted'])
      .andState((state) => {
        expect(state.output).toEqual({ early: true });
        expect(Object.values(state.tasks).map((task) => task.taskRefName)).toEqual(['done']);
      });
  });
});
