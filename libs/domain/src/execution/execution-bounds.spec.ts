import { decide, doWhile, initialState, inline, replay, simple, workflow, type ExecutionCommand } from '@app/domain';
import { executionSpec, scheduledEvent, startedEvent } from '@app/testing/decider';

const bounds = { maxTaskOutputBytes: 64 * 1024, maxExecutionStateBytes: 256 * 1024 };
const twoSteps = workflow('bounded').tasks(simple('fetch', 'fetch'), simple('more', 'more')).build();

describe('execution bounds: what one execution may hold', () => {
  it('given a running task, when its worker returns an output over the task limit, then the task fails and the execution ends FAILED naming the limit', () => {
    executionSpec()
      .given([startedEvent(twoSteps), scheduledEvent('exec-1-1', 'fetch')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { blob: 'x'.repeat(100_000) } }, { now: 2_000, bounds })
      .thenMatches([
        { type: 'TaskFailed', data: { taskId: 'exec-1-1', terminal: true, reason: expect.stringMatching(/task output of 1000\d\d bytes is more than the 65536 allowed \(BATON_MAX_TASK_OUTPUT_BYTES\)/) } },
        { type: 'ExecutionFailed', data: { reason: expect.stringMatching(/BATON_MAX_TASK_OUTPUT_BYTES/), failedTaskRefName: 'fetch' } },
      ]);
  });

  it('given outputs each within the task limit, when together they pass the execution limit, then the execution ends FAILED naming that limit', () => {
    const loop = workflow('accumulating').tasks(doWhile('loop', '$.loop.iteration < 50', [simple('step', 'step')])).build();
    const chunk = 'y'.repeat(50_000);
    let state = initialState('exec-1');
    const step = (command: ExecutionCommand, now: number) => {
      state = replay(decide(command, state, { now, bounds }).events, state);
    };
    step({ type: 'StartExecution', executionId: 'exec-1', definition: loop, taskDefs: {}, input: {} }, 1);
    for (let i = 0; i < 20 && state.status === 'RUNNING'; i++) {
      const pending = Object.values(state.tasks).find((task) => task.taskRefName.startsWith('step') && task.status === 'SCHEDULED');
      step({ type: 'ApplyTaskResult', taskId: pending!.taskId, status: 'COMPLETED', output: { chunk } }, 10 + i);
    }
    expect(state.status).toBe('FAILED');
    expect(state.status === 'FAILED' ? state.reason : '').toMatch(/execution data of \d+ bytes is more than the 262144 allowed \(BATON_MAX_EXECUTION_STATE_BYTES\)/);
  });

  it('given an INLINE body returning a megabyte in a 50-iteration loop, when its first result is applied, then the execution fails at the first iteration instead of growing', () => {
    const definition = workflow('inline_loop').tasks(doWhile('loop', '$.loop.iteration < 50', [inline('big', '"x".repeat(1000000)')])).build();
    let state = replay(decide({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: {} }, initialState('exec-1'), { now: 1, bounds }).events, initialState('exec-1'));
    const inlineTask = Object.values(state.tasks).find((task) => task.taskType === 'INLINE')!;
    state = replay(decide({ type: 'ApplyTaskResult', taskId: inlineTask.taskId, status: 'COMPLETED', output: { result: 'x'.repeat(1_000_000) } }, state, { now: 2, bounds }).events, state);
    expect(state.status).toBe('FAILED');
    expect(Object.values(state.tasks).filter((task) => task.taskType === 'INLINE')).toHaveLength(1);
  });

  it('given a history stored before the bounds that already holds more than the execution limit, when the next result arrives, then the execution fails instead of growing further', () => {
    executionSpec()
      .given([startedEvent(twoSteps), scheduledEvent('exec-1-1', 'fetch'), { type: 'TaskCompleted', data: { taskId: 'exec-1-1', output: { blob: 'z'.repeat(300_000) }, at: 2 } }, scheduledEvent('exec-1-2', 'more')])
      .when({ type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'COMPLETED', output: { ok: true } }, { now: 3_000, bounds })
      .thenMatches([
        { type: 'TaskFailed', data: { taskId: 'exec-1-2', terminal: true, reason: expect.stringMatching(/BATON_MAX_EXECUTION_STATE_BYTES/) } },
        { type: 'ExecutionFailed', data: { reason: expect.stringMatching(/execution data of \d+ bytes is more than the 262144 allowed/) } },
      ]);
  });
});
