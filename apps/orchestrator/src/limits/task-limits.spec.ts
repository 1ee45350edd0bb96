import { simple, workflow, type ExecutionState } from '@app/domain';
import { limitsOf, limitsOfTask } from './task-limits';

describe('task limits from task definitions', () => {
  it('given no limit fields or zeros, when read, then the type is unlimited (the dispatcher fast path)', () => {
    expect(limitsOf(undefined)).toBeUndefined();
    expect(limitsOf({ name: 'a' })).toBeUndefined();
    expect(limitsOf({ name: 'a', concurrentExecLimit: 0, rateLimitPerFrequency: 0, rateLimitFrequencyInSeconds: 5 })).toBeUndefined();
  });

  it('given Conductor limit fields, when read, then concurrency and rate limits come out in milliseconds', () => {
    expect(limitsOf({ name: 'a', concurrentExecLimit: 3 })).toEqual({ concurrency: 3 });
    expect(limitsOf({ name: 'a', rateLimitPerFrequency: 5, rateLimitFrequencyInSeconds: 2 })).toEqual({ rate: { perWindow: 5, windowMs: 2_000 } });
  });

  it('given an execution, when a task of it is looked up, then the limits come from the execution snapshot of the task definition', () => {
    const definition = workflow('wf').tasks(simple('limited', 'one'), simple('free', 'two')).build();
    const state = { definition, dynamicTasks: {}, taskDefs: { limited: { name: 'limited', concurrentExecLimit: 2 } } } as unknown as ExecutionState;

    expect(limitsOfTask(state, 'one')).toEqual({ concurrency: 2 });
    expect(limitsOfTask(state, 'two')).toBeUndefined();
    expect(limitsOfTask(state, 'missing')).toBeUndefined();
  });
});
