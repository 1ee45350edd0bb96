import { doWhile, inlineValue, setVariable, switchTask, wait, workflow, workflowInput, type WorkflowTask } from '@app/domain';
import { register, waitForStatus } from './support/flows';
import { resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

/** Issue 7, defect 5: a DO_WHILE of system tasks reaches its documented 10,000-iteration cap. */
describe('a DO_WHILE of system tasks runs to its 10,000-iteration cap', () => {
  let orchestrator: OrchestratorProcess;
  const ITERATIONS = 10_000;

  const loop: WorkflowTask = doWhile(
    'loop',
    '$.loop.iteration < $.times',
    [
      // value-param INLINEs: the decider runs them itself (a script INLINE is run by the orchestrator, one decision each).
      inlineValue('add', '${loop.output.iteration}'),
      setVariable('keep', { n: '${add.output.result}' }),
      switchTask('parity', { expression: '$.n % 2 == 0 ? "even" : "odd"', evaluatorType: 'javascript', inputParameters: { n: '${workflow.variables.n}' }, cases: { even: [inlineValue('even', 'even')] } }),
    ],
    { times: workflowInput('times') },
  );
  const outputs = { n: '${workflow.variables.n}', iterations: '${loop.output.iteration}' };

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('long-loop') });
    await register(orchestrator.api, [], [
      workflow('system_loop').tasks(loop).variables({ n: 0 }).outputs(outputs).build(),
      workflow('waited_system_loop').tasks(wait('pause', { duration: '1s' }), loop).variables({ n: 0 }).outputs(outputs).build(),
    ]);
  });

  afterAll(async () => {
    await stopAll([orchestrator?.handle]);
  });

  it('given a loop of INLINE, SET_VARIABLE and SWITCH, when started over HTTP for 10,000 iterations, then the start answers 200 and the execution completes', async () => {
    const started = await orchestrator.api.request('POST', '/api/workflow/system_loop', { times: ITERATIONS });
    expect(started.status).toBe(200);
    const done = await waitForStatus(orchestrator.api, started.text, 'COMPLETED', 120_000);
    expect(done.output).toEqual({ n: ITERATIONS, iterations: ITERATIONS });
  });

  it('given the same loop behind a 1 s WAIT, when the timer fires, then the loop runs in that firing and the execution completes', async () => {
    const started = await orchestrator.api.request('POST', '/api/workflow/waited_system_loop', { times: ITERATIONS });
    expect(started.status).toBe(200);
    const done = await waitForStatus(orchestrator.api, started.text, 'COMPLETED', 120_000);
    expect(done.output).toEqual({ n: ITERATIONS, iterations: ITERATIONS });
  });
});
