import { doWhile, forkJoin, inlineValue, setVariable, wait, workflow, workflowInput, type ExecutionEvent, type WorkflowDef } from '@app/domain';
import { executionSpec, scheduledEvent, startedEvent, systemTaskLoopWorkflow } from '@app/testing/decider';

/**
 * A decision runs every system task it reaches (INLINE, SET_VARIABLE, SWITCH, FORK/JOIN, DO_WHILE
 * iterations) before it returns. These chains are as long as Baton allows (the 10,000-iteration
 * cap of a DO_WHILE): the flow must run them as a work loop, not as nested calls, or the stack
 * overflows (it did from about 1,600 iterations: the start answered 500, a timer retried forever).
 */
const CAP = 10_000;

/** A DO_WHILE of (value-param) INLINE, SET_VARIABLE and SWITCH tasks, `times` iterations (workflow input). */
const systemLoop = systemTaskLoopWorkflow('system_loop');

const start = (definition: WorkflowDef, input: Record<string, unknown>) => ({ type: 'StartExecution' as const, executionId: 'exec-1', definition, taskDefs: {}, input });
const count = (events: readonly ExecutionEvent[], type: ExecutionEvent['type'], taskRefName?: string) =>
  events.filter((event) => event.type === type && (taskRefName === undefined || (event.data as { taskRefName?: string }).taskRefName === taskRefName)).length;

describe('chains of system tasks run iteratively', () => {
  it('given a DO_WHILE of INLINE, SET_VARIABLE and SWITCH, when started for 10,000 iterations, then every iteration runs in the one decision and the execution completes', () => {
    const then = executionSpec().given([]).when(start(systemLoop, { times: CAP }));
    const events = then.decision.events;
    expect(then.decision.ignored).toBeUndefined();
    expect(count(events, 'LoopIterationStarted')).toBe(CAP);
    expect(count(events, 'TaskScheduled', 'add')).toBe(CAP);
    expect(count(events, 'TaskScheduled', 'even')).toBe(CAP / 2);
    expect(events[events.length - 1]).toMatchObject({ type: 'ExecutionCompleted', data: { output: { n: CAP, iterations: CAP } } });
    then.andState((state) => expect(state.status).toBe('COMPLETED'));
  });

  it('given a loop whose condition never turns false, when started, then it runs up to the 10,000-iteration cap and fails the loop with the reason', () => {
    const forever = workflow('forever').tasks(doWhile('loop', 'true', [setVariable('tick', { at: '${loop.output.iteration}' })])).build();
    const then = executionSpec().given([]).when(start(forever, {}));
    const events = then.decision.events;
    expect(count(events, 'TaskScheduled', 'tick')).toBe(CAP);
    expect(events.slice(-2)).toMatchObject([
      { type: 'TaskFailed', data: { taskId: 'exec-1-1', reason: `loop ran ${CAP} iterations without its condition turning false`, terminal: true } },
      { type: 'ExecutionFailed', data: { failedTaskRefName: 'loop' } },
    ]);
  });

  it('given a WAIT before a 10,000-iteration loop, when its timer fires, then the loop runs to the end in that decision and the execution completes', () => {
    const waited = systemTaskLoopWorkflow('waited_loop', wait('pause', { duration: '1s' }));
    const then = executionSpec()
      .given([
        startedEvent(waited, { input: { times: CAP } }),
        scheduledEvent('exec-1-1', 'pause', { taskType: 'WAIT', input: { duration: '1s' } }),
        { type: 'TimerStarted', data: { timerId: 't1', dueAt: 1_000, purpose: { kind: 'WAIT', taskId: 'exec-1-1' }, at: 0 } },
      ])
      .when({ type: 'FireTimer', timerId: 't1' }, { now: 1_000 });
    const events = then.decision.events;
    expect(events.slice(0, 2)).toMatchObject([{ type: 'TimerFired', data: { timerId: 't1' } }, { type: 'TaskCompleted', data: { taskId: 'exec-1-1' } }]);
    expect(count(events, 'LoopIterationStarted')).toBe(CAP);
    expect(events[events.length - 1]).toMatchObject({ type: 'ExecutionCompleted', data: { output: { n: CAP, iterations: CAP } } });
  });

  it('given a loop whose body forks into system-task branches and joins, when started for 3,000 iterations, then each JOIN completes and so does the execution', () => {
    const forked = workflow('forked_loop')
      .tasks(doWhile('loop', '$.loop.iteration < $.times', [forkJoin('fork', [[inlineValue('left', 1)], [setVariable('right', { last: '${loop.output.iteration}' })]]), inlineValue('after', 2)], { times: workflowInput('times') }))
      .build();
    const iterations = 3_000;
    const then = executionSpec().given([]).when(start(forked, { times: iterations }));
    const events = then.decision.events;
    expect(count(events, 'TaskScheduled', 'fork_join')).toBe(iterations);
    expect(count(events, 'TaskScheduled', 'after')).toBe(iterations);
    expect(events[events.length - 1]).toMatchObject({ type: 'ExecutionCompleted' });
    then.andState((state) => expect(state.variables).toEqual({ last: iterations }));
  });

  it('given 5,000 system tasks one after another, when started, then all run and the execution completes', () => {
    const chain = workflow('long_chain').tasks(...Array.from({ length: 5_000 }, (_, i) => setVariable(`step_${i}`, { last: i }))).build();
    const then = executionSpec().given([]).when(start(chain, {}));
    expect(count(then.decision.events, 'TaskScheduled')).toBe(5_000);
    then.andState((state) => {
      expect(state.status).toBe('COMPLETED');
      expect(state.variables).toEqual({ last: 4_999 });
    });
  });
});
