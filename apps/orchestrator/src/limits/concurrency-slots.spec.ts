import { decodeSlots, encodeSlots, executionIdOfTask, planSlots } from './concurrency-slots';

const request = (taskId: string, limit = 2) => ({ taskId, limit });

describe('concurrency slot sets (one set of task ids per task type)', () => {
  it('given free slots, when tasks ask, then they are added in order up to the limit and the rest are not', () => {
    const plan = planSlots([], [], [request('a'), request('b'), request('c')]);

    expect(plan.holders).toEqual(['a', 'b']);
    expect([...plan.granted]).toEqual(['a', 'b']);
    expect(plan.changed).toBe(true);
  });

  it('given a full set, when a holder is released in the same round, then the first waiter takes its slot', () => {
    const plan = planSlots(['a', 'b'], ['a'], [request('c'), request('d')]);

    expect(plan.holders).toEqual(['b', 'c']);
    expect([...plan.granted]).toEqual(['c']);
  });

  it('given a task that already holds a slot, when it asks again (recovery after a crash), then it is granted without a second slot, even when the set is full', () => {
    const plan = planSlots(['a', 'b'], [], [request('x'), request('b')]);

    expect([...plan.granted]).toEqual(['b']);
    expect(plan.holders).toEqual(['a', 'b']);
    expect(plan.changed).toBe(false);
  });

  it('given a release of a task that holds no slot, when planned, then nothing changes and the release is reported absent', () => {
    const plan = planSlots(['a'], ['zz'], []);

    expect(plan.changed).toBe(false);
    expect(plan.absent).toEqual(['zz']);
  });

  it('given waiters with different limits, when the first does not fit, then a later one with a higher limit does not overtake it', () => {
    const plan = planSlots(['a'], [], [request('b', 1), request('c', 5)]);

    expect(plan.granted.size).toBe(0);
    expect(plan.changed).toBe(false);
  });

  it('given the limit was lowered below the holders, when a task asks, then it waits until enough holders end', () => {
    expect(planSlots(['a', 'b', 'c'], ['a'], [request('d', 2)]).granted.size).toBe(0);
    expect(planSlots(['b', 'c'], ['b'], [request('d', 2)]).granted.has('d')).toBe(true);
  });

  it('given stored text, when decoded, then holders round-trip and anything else reads as empty', () => {
    expect(decodeSlots(encodeSlots(['e1-2', 'e2-5']))).toEqual(['e1-2', 'e2-5']);
    expect(decodeSlots(undefined)).toEqual([]);
    expect(decodeSlots('{')).toEqual([]);
    expect(decodeSlots('{"holders":[1,"a"]}')).toEqual(['a']);
  });

  it('given a task id, when its execution is looked up, then the sequence suffix is dropped', () => {
    expect(executionIdOfTask('4df0cf64-1b2c-4c5d-8e9f-0123456789ab-12')).toBe('4df0cf64-1b2c-4c5d-8e9f-0123456789ab');
  });
});
