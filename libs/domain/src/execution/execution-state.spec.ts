import { initialState, isStarted, replay, simple, workflow, type ExecutionState } from '@app/domain';
import { startedEvent } from '@app/testing/decider';

const definition = workflow('flow').tasks(simple('a', 'a')).build();

describe('ExecutionState, a union on status', () => {
  it('given no events, then the execution is not started and has no definition', () => {
    const state: ExecutionState = initialState('e1');
    expect(isStarted(state)).toBe(false);
    expect(state.definition).toBeUndefined();
  });

  it('given ExecutionStarted, then the execution is started with its definition and start time', () => {
    const state = replay([startedEvent(definition, { at: 5 })], initialState('exec-1'));
    if (!isStarted(state)) throw new Error('expected a started execution');
    // Narrowed: the definition is there without a non-null assertion.
    expect(state.definition.name).toBe('flow');
    expect(state.createdAt).toBe(5);
    expect(state.status).toBe('RUNNING');
  });
});
