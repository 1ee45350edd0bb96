import { simple, validateTaskDef, validateWorkflowDef, wait, workflow, type WorkflowDef } from '@app/domain';
import { executionSpec } from '@app/testing/decider';
import { durationMsOf, dueAfter, MAX_DURATION_MS, parseDurationMs, untilMsOf } from './durations';

describe('durations: the one parsing home of numbers that become times', () => {
  it('given durations within 100 years, then milliseconds; beyond, negative, NaN-like or Infinity, then nothing', () => {
    expect(durationMsOf('2m 10s')).toBe(130_000);
    expect(durationMsOf(1.5)).toBe(1_500);
    for (const bad of [1e308, -1, Number.NaN, Number.POSITIVE_INFINITY, 'NaN', 'Infinity', '-5s', '1e308', true, {}]) expect(durationMsOf(bad)).toBeUndefined();
    expect(parseDurationMs('99999999999999999999999 days')).toBeUndefined();
  });

  it('given an until beyond what a date holds, then nothing', () => {
    expect(untilMsOf('2026-12-01 09:30 UTC')).toBe(Date.UTC(2026, 11, 1, 9, 30));
    expect(untilMsOf(1e308)).toBeUndefined();
    expect(untilMsOf(-1)).toBeUndefined();
  });

  it('given any computed delay, then dueAfter is a finite epoch at most 100 years ahead', () => {
    expect(dueAfter(1_000, Number.POSITIVE_INFINITY)).toBe(1_000 + MAX_DURATION_MS);
    expect(dueAfter(1_000, Number.NaN)).toBe(1_000);
    expect(dueAfter(1_000, -5)).toBe(1_000);
  });
});

describe('definitions: numbers validated with their JSON path', () => {
  it('given a task definition with 1e308, negative or fractional numbers, then each field is named', () => {
    const problems = validateTaskDef({ name: 't', responseTimeoutSeconds: 1e308, retryDelaySeconds: -1, rateLimitPerFrequency: 1e308, rateLimitFrequencyInSeconds: 1, concurrentExecLimit: 1.5, backoffJitterMs: 1e308, backoffScaleFactor: Number.NaN } as never);
    expect(problems.map((p) => p.path).sort()).toEqual(['backoffJitterMs', 'backoffScaleFactor', 'concurrentExecLimit', 'rateLimitPerFrequency', 'responseTimeoutSeconds', 'retryDelaySeconds']);
    expect(problems.find((p) => p.path === 'responseTimeoutSeconds')?.message).toMatch(/integer from 1 to 3153600000/);
  });

  it('given a workflow with a 1e308 timeout, a WAIT of 1e308 seconds and an inline task definition with one, then 400-worthy problems with their paths', () => {
    const definition = {
      ...workflow('big').tasks(wait('w', { duration: 1e308 as never }), wait('u', { until: 1e308 as never }), simple('s', 's')).build(),
      timeoutSeconds: 1e308,
    } as WorkflowDef;
    (definition.tasks[2] as { taskDefinition?: unknown }).taskDefinition = { name: 's', timeoutSeconds: 1e308 };
    const paths = validateWorkflowDef(definition).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['timeoutSeconds', 'tasks[0].inputParameters.duration', 'tasks[1].inputParameters.until', 'tasks[2].taskDefinition.timeoutSeconds']));
  });
});

describe('WAIT durations resolved at run time', () => {
  const definition = workflow('input_wait').tasks(wait('w', { duration: '${workflow.input.d}' })).build();

  it.each([[1e308], [-3], ['NaN'], ['Infinity']])('given the input d = %p, when the WAIT is scheduled, then the task and the execution fail with the reason and no timer is armed', (d) => {
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: {}, input: { d } })
      .thenMatches([
        { type: 'ExecutionStarted' },
        { type: 'TaskScheduled' },
        { type: 'TaskFailed', data: { terminal: true, reason: expect.stringMatching(/duration\/until .* is not a duration/) } },
        { type: 'ExecutionFailed' },
      ]);
  });

  it('given a task definition stored before the bounds with a 1e308 response timeout, when its task is scheduled, then the deadline timer is still a finite date', () => {
    const flow = workflow('old_def').tasks(simple('legacy', 'legacy')).build();
    executionSpec()
      .given([])
      .when({ type: 'StartExecution', executionId: 'exec-1', definition: flow, taskDefs: { legacy: { name: 'legacy', responseTimeoutSeconds: 1e308 } }, input: {} }, { now: 5_000 })
      .thenMatches([{ type: 'ExecutionStarted' }, { type: 'TaskScheduled' }, { type: 'TimerStarted', data: { dueAt: 5_000 + MAX_DURATION_MS, purpose: { kind: 'TASK_TIMEOUT' } } }]);
  });
});
