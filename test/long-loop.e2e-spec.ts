import { wait } from '@app/domain';
import { systemTaskLoopWorkflow } from '@app/testing/decider';
import { waitFor } from '@app/testing/wait-for';
import { register } from './support/flows';
import { resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

/** Issue 7, defect 5: a DO_WHILE of system tasks reaches its documented 10,000-iteration cap. */
describe('a DO_WHILE of system tasks runs to its 10,000-iteration cap', () => {
  let orchestrator: OrchestratorProcess;
  const ITERATIONS = 10_000;

  beforeAll(async () => {
    await resetBatonStreams();
    // The loop's output lists all 10,000 iterations' outputs (≈ 1.1 MB), above the default bounds on
    // one task's output and an execution's data (issue 7, defect 3): raised here, this suite is about the iteration cap.
    orchestrator = await startOrchestrator({ dataDir: tempDir('long-loop'), env: { BATON_MAX_TASK_OUTPUT_BYTES: String(4 * 1024 * 1024), BATON_MAX_EXECUTION_STATE_BYTES: String(64 * 1024 * 1024) } });
    await register(orchestrator.api, [], [
      systemTaskLoopWorkflow('system_loop'),
      systemTaskLoopWorkflow('waited_system_loop', wait('pause', { duration: '1s' })),
    ]);
  });

  afterAll(async () => {
    await stopAll([orchestrator?.handle]);
  });

  /**
   * Waits for the execution to complete, reading it without its ≈ 40,000 tasks: the full view is
   * tens of MB, and rendering it on every poll would only load the orchestrator under test.
   */
  function completed(id: string): Promise<{ status: string; output: Record<string, unknown> }> {
    return waitFor(`execution ${id} COMPLETED`, async () => {
      const summary = (await orchestrator.api.request('GET', `/api/workflow/${id}?includeTasks=false`)).json() as { status: string; output: Record<string, unknown> };
      return summary.status === 'COMPLETED' ? summary : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250 });
  }

  it('given a loop of (value-param) INLINE, SET_VARIABLE and SWITCH, when started over HTTP for 10,000 iterations, then the start answers 200 and the execution completes', async () => {
    const started = await orchestrator.api.request('POST', '/api/workflow/system_loop', { times: ITERATIONS });
    expect(started.status).toBe(200);
    const done = await completed(started.text);
    expect(done.output).toEqual({ n: ITERATIONS, iterations: ITERATIONS });
  });

  it('given the same loop behind a 1 s WAIT, when the timer fires, then the loop runs in that firing and the execution completes', async () => {
    const started = await orchestrator.api.request('POST', '/api/workflow/waited_system_loop', { times: ITERATIONS });
    expect(started.status).toBe(200);
    const done = await completed(started.text);
    expect(done.output).toEqual({ n: ITERATIONS, iterations: ITERATIONS });
  });
});
