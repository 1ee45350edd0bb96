import { simple, validateWorkflowDef, workflow, type WorkflowTask } from '@app/domain';
import { completedEvent, deadlineTimer, executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const overItems: WorkflowTask = {
  name: 'each',
  taskReferenceName: 'each',
  type: 'DO_WHILE',
  items: '${workflow.input.parcels}',
  loopOver: [simple('label', 'label', { parcel: '${each.output.loopItem}', index: '${each.output.loopIndex}' })],
};
const definition = workflow('labels').tasks(overItems, simple('after', 'after')).build();

describe('DO_WHILE over items (no loopCondition)', () => {
  it('given a list, when the loop starts, then iteration 1 runs its body with the first element as loopItem', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: { parcels: ['a', 'b'] } })
      .thenMatches([
        { type: 'ExecutionStarted' },
        { type: 'TaskScheduled', data: { taskRefName: 'each', taskType: 'DO_WHILE', input: { items: ['a', 'b'] } } },
        { type: 'LoopIterationStarted', data: { iteration: 1, loopItem: 'a', loopIndex: 0 } },
        { type: 'TaskScheduled', data: { taskRefName: 'label', input: { parcel: 'a', index: 0 }, iteration: 1 } },
        deadlineTimer(),
      ]);
  });

  const first = [
    startedEvent(definition, { input: { parcels: ['a', 'b'] } }),
    scheduledEvent('exec-1-1', 'each', { taskType: 'DO_WHILE', input: { items: ['a', 'b'] } }),
    { type: 'LoopIterationStarted' as const, data: { taskId: 'exec-1-1', iteration: 1, loopItem: 'a', loopIndex: 0, at: 0 } },
    scheduledEvent('exec-1-2', 'label', { iteration: 1, input: { parcel: 'a', index: 0 } }),
  ];

  it('given elements remain, when the body completes, then the next iteration runs with the next element', () => {
    executionSpec()
      .given(first)
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'COMPLETED', output: { id: 'L-a' } })
      .thenMatches([
        { type: 'TaskCompleted' },
        { type: 'LoopIterationStarted', data: { iteration: 2, loopItem: 'b', loopIndex: 1 } },
        { type: 'TaskScheduled', data: { taskRefName: 'label', input: { parcel: 'b', index: 1 }, iteration: 2 } },
        deadlineTimer(),
      ]);
  });

  it('given the last element ran, when the body completes, then the loop completes with each iteration and the flow goes on', () => {
    executionSpec()
      .given([
        ...first,
        completedEvent('exec-1-2', { id: 'L-a' }),
        { type: 'LoopIterationStarted', data: { taskId: 'exec-1-1', iteration: 2, loopItem: 'b', loopIndex: 1, at: 1 } },
        scheduledEvent('exec-1-3', 'label', { iteration: 2 }),
      ])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-3', status: 'COMPLETED', output: { id: 'L-b' } })
      .thenMatches([
        { type: 'TaskCompleted' },
        { type: 'TaskCompleted', data: { taskId: 'exec-1-1', output: { iteration: 2, 1: { label: { id: 'L-a' } }, 2: { label: { id: 'L-b' } } } } },
        { type: 'TaskScheduled', data: { taskRefName: 'after' } },
        deadlineTimer(),
      ]);
  });

  it('given an empty list, when the loop is reached, then it completes at once without running its body', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: { parcels: [] } })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled', data: { taskRefName: 'each' } }, { type: 'TaskCompleted', data: { output: { iteration: 0 } } }, { type: 'TaskScheduled', data: { taskRefName: 'after' } }, deadlineTimer()]);
  });

  it('given items that are not a list, when the loop is reached, then it fails for good', () => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: { parcels: 'a,b' } })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled' }, { type: 'TaskFailed', data: { reason: expect.stringContaining('items must be a list'), terminal: true } }, { type: 'ExecutionFailed' }]);
  });

  it('given a DO_WHILE with items and no loopCondition, when validated, then it is accepted; without either it is refused', () => {
    expect(validateWorkflowDef(definition)).toEqual([]);
    const bare = workflow('bare').tasks({ ...overItems, items: undefined }).build();
    expect(validateWorkflowDef(bare)).toEqual([{ path: 'tasks[0].loopCondition', message: expect.stringContaining('or items') }]);
  });
});
