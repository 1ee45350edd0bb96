import { doWhile, simple, subWorkflow, switchTask, taskOutput, wait, workflow, workflowInput, type TaskDef } from '@app/domain';
import { systemTaskLoopWorkflow } from '@app/testing/decider';
import { InvalidFlowDefinitionError, runWorkflowTest } from './flow-engine';
import { completed, failed, inProgress, terminalError, timedOut } from './workflow-test-request';

const charge: TaskDef = { name: 'charge', retryCount: 2, retryLogic: 'FIXED', retryDelaySeconds: 5, responseTimeoutSeconds: 10, timeoutPolicy: 'TIME_OUT_WF' };
const payment = workflow('payment')
  .tasks(
    simple('charge', 'charge', { amount: workflowInput('amount') }),
    switchTask('route', { expression: 'kind', inputParameters: { kind: taskOutput('charge', 'kind') }, cases: { card: [simple('receipt', 'receipt')] }, defaultCase: [simple('invoice', 'invoice')] }),
  )
  .outputs({ paymentId: taskOutput('charge', 'paymentId') })
  .build();

describe('runWorkflowTest: a definition run on the decider with mocked workers and a virtual clock', () => {
  it('given mocked outputs, when run, then the SWITCH takes the branch the output selects and the output maps through', () => {
    const result = runWorkflowTest({
      workflowDef: payment,
      taskDefs: [charge],
      input: { amount: 10 },
      taskRefToMockOutput: { charge: [completed({ kind: 'card', paymentId: 'p-1' })], receipt: [completed()] },
    });

    expect({ status: result.status, path: result.path, output: result.output, stalled: result.stalled }).toEqual({
      status: 'COMPLETED',
      path: ['charge', 'route', 'receipt'],
      output: { paymentId: 'p-1' },
      stalled: undefined,
    });
    expect(result.tasks[0]).toMatchObject({ taskRefName: 'charge', input: { amount: 10 }, status: 'COMPLETED' });
  });

  it('given a failure then a success, when run, then the retry takes the next mocked attempt after the retry delay on the virtual clock', () => {
    const result = runWorkflowTest({ workflowDef: payment, taskDefs: [charge], taskRefToMockOutput: { charge: [failed('declined'), completed({ kind: 'bank' })], invoice: [completed()] } });

    expect(result.path).toEqual(['charge', 'charge', 'route', 'invoice']);
    expect(result.tasks.map((task) => [task.taskRefName, task.attempt, task.status])).toEqual([
      ['charge', 1, 'FAILED'], ['charge', 2, 'COMPLETED'], ['route', 1, 'COMPLETED'], ['invoice', 1, 'COMPLETED'],
    ]);
    expect(result.elapsedMs).toBe(5_000);
    expect(result.status).toBe('COMPLETED');
  });

  it('given a worker that never answers and no retries left, when run, then the response timeout times the execution out', () => {
    const result = runWorkflowTest({ workflowDef: payment, taskDefs: [{ ...charge, retryCount: 0 }], taskRefToMockOutput: { charge: [timedOut()] } });

    expect(result.status).toBe('TIMED_OUT');
    expect(result.tasks[0]).toMatchObject({ status: 'TIMED_OUT', reason: expect.stringContaining('responseTimeoutSeconds (10)') });
    expect(result.elapsedMs).toBe(10_000);
  });

  it('given an answer slower than the response timeout, when run, then the attempt times out, its late answer is ignored and the retry is answered', () => {
    const result = runWorkflowTest({
      workflowDef: payment,
      taskDefs: [charge],
      taskRefToMockOutput: { charge: [completed({ kind: 'late' }, { executionTime: 30_000 }), completed({ kind: 'card' })], receipt: [completed()] },
    });

    expect(result.tasks.map((task) => [task.attempt, task.status])).toEqual([[1, 'TIMED_OUT'], [2, 'COMPLETED'], [1, 'COMPLETED'], [1, 'COMPLETED']]);
    expect(result.path).toEqual(['charge', 'charge', 'route', 'receipt']);
    expect(result.tasks[1]!.output).toEqual({ kind: 'card' });
  });

  it('given a heartbeat first, when run, then the next mocked attempt answers the same task', () => {
    const result = runWorkflowTest({ workflowDef: payment, taskDefs: [charge], taskRefToMockOutput: { charge: [inProgress({ step: 1 }, 8_000), completed({ kind: 'card' }, { executionTime: 8_000 })], receipt: [completed()] } });

    // 16 s in all, but each answer comes within the 10 s response timeout of the previous report
    expect(result.tasks.map((task) => [task.taskRefName, task.attempt, task.status])).toEqual([['charge', 1, 'COMPLETED'], ['route', 1, 'COMPLETED'], ['receipt', 1, 'COMPLETED']]);
    expect(result.tasks[0]!.output).toEqual({ step: 1, kind: 'card' });
    expect(result.elapsedMs).toBe(16_000);
  });

  it('given a terminal error, when run, then it is not retried and the execution fails with the reason', () => {
    const result = runWorkflowTest({ workflowDef: payment, taskDefs: [charge], taskRefToMockOutput: { charge: [terminalError('card stolen'), completed()] } });

    expect(result.path).toEqual(['charge']);
    expect(result.status).toBe('FAILED');
    expect(result.reason).toContain('card stolen');
  });

  it('given a WAIT with a mocked signal and a WAIT with a duration, when run, then the signal completes one and the virtual clock the other', () => {
    const waits = workflow('waits').tasks(wait('approval'), wait('cool_off', { duration: '30s' })).outputs({ approvedBy: taskOutput('approval', 'by') }).build();

    const result = runWorkflowTest({ workflowDef: waits, taskRefToMockOutput: { approval: [completed({ by: 'ann' }, { executionTime: 2_000 })] } });

    expect({ status: result.status, path: result.path, output: result.output, elapsedMs: result.elapsedMs }).toEqual({ status: 'COMPLETED', path: ['approval', 'cool_off'], output: { approvedBy: 'ann' }, elapsedMs: 32_000 });
  });

  it('given a task without a mocked attempt, when run, then the run stops RUNNING and says which task waits', () => {
    const result = runWorkflowTest({ workflowDef: payment, taskDefs: [charge], taskRefToMockOutput: { charge: [completed({ kind: 'card' })] } });

    expect(result.status).toBe('RUNNING');
    expect(result.path).toEqual(['charge', 'route', 'receipt']);
    expect(result.stalled).toContain('receipt (SIMPLE, attempt 1) has no mocked attempt left');
  });

  it('given a sub-workflow with its own test request, when run, then the child runs and its output becomes the task output; given a mock instead, then the mock stands in', () => {
    const child = workflow('child').tasks(simple('work', 'work', { n: workflowInput('n') })).outputs({ doubled: taskOutput('work', 'doubled') }).build();
    const parent = workflow('parent').tasks(subWorkflow('run_child', 'child', { n: workflowInput('n') })).outputs({ result: taskOutput('run_child', 'doubled') }).build();

    const ran = runWorkflowTest({ workflowDef: parent, input: { n: 2 }, subWorkflowTestRequest: { run_child: { workflowDef: child, taskRefToMockOutput: { work: [completed({ doubled: 4 })] } } } });
    expect({ status: ran.status, output: ran.output }).toEqual({ status: 'COMPLETED', output: { result: 4 } });
    expect(ran.subWorkflows['run_child']).toMatchObject({ status: 'COMPLETED', path: ['work'], tasks: [{ input: { n: 2 } }] });

    const stubbed = runWorkflowTest({ workflowDef: parent, input: { n: 2 }, taskRefToMockOutput: { run_child: [completed({ doubled: 99 })] } });
    expect(stubbed.output).toEqual({ result: 99 });
  });

  it('given a loop, when run, then each iteration takes the next mocked attempt until the condition is false', () => {
    const loop = workflow('loop').tasks(doWhile('poll_loop', '$.poll_loop.iteration < 3', [simple('poll', 'poll')])).build();

    const result = runWorkflowTest({ workflowDef: loop, taskRefToMockOutput: { poll: [completed({ n: 1 }), completed({ n: 2 }), completed({ n: 3 })] } });

    expect(result.status).toBe('COMPLETED');
    expect(result.path).toEqual(['poll_loop', 'poll', 'poll', 'poll']);
  });

  it('given the same request twice, when run, then the histories are identical (deterministic)', () => {
    const request = { workflowDef: payment, taskDefs: [charge], taskRefToMockOutput: { charge: [failed(), completed({ kind: 'card' })], receipt: [completed()] } };

    expect(runWorkflowTest(request).events).toEqual(runWorkflowTest(request).events);
  });

  it('given an invalid definition, when run, then it is refused with every problem at its path', () => {
    const broken = { ...payment, tasks: [simple('charge', 'charge'), simple('charge', 'charge')] };

    expect(() => runWorkflowTest({ workflowDef: broken })).toThrow(InvalidFlowDefinitionError);
    expect(() => runWorkflowTest({ workflowDef: broken })).toThrow(/tasks\[1\]/);
  });
});

describe('runWorkflowTest of a loop at its 10,000-iteration cap', () => {
  it('given a DO_WHILE of tasks the decider runs itself, when run for 10,000 iterations, then it completes with every iteration counted', () => {
    const result = runWorkflowTest({ workflowDef: systemTaskLoopWorkflow('flow_loop'), input: { times: 10_000 } });

    expect(result.status).toBe('COMPLETED');
    expect(result.output).toEqual({ n: 10_000, iterations: 10_000 });
  });
});
