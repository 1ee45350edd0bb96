import { wait } from '@app/domain';
import { systemTaskLoopWorkflow } from '@app/testing/decider';
import { register, waitForStatus } from './support/flows';
import { resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

/** Issue 7, defect 5: a DO_WHILE of system tasks reaches its documented 10,000-iteration cap. */
describe('a DO_WHILE of system tasks runs to its 10,000-iteration cap', () => {
  let orchestrator: OrchestratorProcess;
  const ITERATIONS = 10_000;

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('long-loop') });
    await register(orchestrator.api, [], [
      systemTaskLoopWorkflow('system_loop'),
      systemTaskLoopWorkflow('waited_system_loop', wait('pause', { duration: '1s' })),
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
