import { resetBatonStreams, startOrchestrator, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

/*
 * Issue 7, defect 3: a DO_WHILE whose INLINE body returns a megabyte, 50 iterations, once took the
 * process down out of memory, and again at every restart. Now that execution FAILS with a reason
 * naming the limit, the process stays up and serves others, and a restart is healthy.
 */

const LOOP = 'bounds_big_loop';
const SMALL = 'bounds_small';
const loopDef = {
  name: LOOP,
  version: 1,
  schemaVersion: 2,
  tasks: [
    {
      name: 'loop',
      taskReferenceName: 'loop',
      type: 'DO_WHILE',
      loopCondition: '$.loop.iteration < 50',
      inputParameters: {},
      loopOver: [{ name: 'big', taskReferenceName: 'big', type: 'INLINE', inputParameters: { evaluatorType: 'javascript', expression: '"x".repeat(1000000)' } }],
    },
  ],
};
const smallDef = { name: SMALL, version: 1, schemaVersion: 2, tasks: [{ name: 'one', taskReferenceName: 'one', type: 'INLINE', inputParameters: { evaluatorType: 'javascript', expression: '1 + 1' } }] };

describe('what one execution may hold (orchestrator process)', () => {
  const dataDir = tempDir('execution-bounds');
  let orchestrator: OrchestratorProcess;

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir, name: 'execution-bounds' });
    await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [loopDef, smallDef]);
  });

  afterAll(async () => {
    await orchestrator?.handle.stop();
  });

  it('given a loop whose INLINE body returns a megabyte 50 times, when started, then that execution FAILS naming the limit, the process serves on, and a restart is healthy', async () => {
    const id = await orchestrator.api.expectOk('POST', `/api/workflow/${LOOP}`, {});
    const ended = await waitFor('the loop execution ended', async () => {
      const workflow = await orchestrator.api.workflow(id);
      return workflow.status === 'RUNNING' ? undefined : workflow;
    }, { timeoutMs: 30_000 });
    expect(ended).toMatchObject({ status: 'FAILED', reasonForIncompletion: expect.stringMatching(/BATON_MAX_TASK_OUTPUT_BYTES/) });
    expect(orchestrator.handle.running).toBe(true);

    const other = await orchestrator.api.expectOk('POST', `/api/workflow/${SMALL}`, {});
    await waitFor('another execution completed', async () => (await orchestrator.api.workflow(other)).status === 'COMPLETED');

    await orchestrator.handle.stop();
    orchestrator = await startOrchestrator({ dataDir, name: 'execution-bounds-restarted', port: orchestrator.port });
    expect(await orchestrator.api.healthy()).toBe(true);
    expect((await orchestrator.api.workflow(id)).status).toBe('FAILED');
  });
});
