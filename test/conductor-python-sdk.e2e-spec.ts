import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ChildHandle, repoRoot } from './support/child-process';
import { register, waitForStatus } from './support/flows';
import { resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

/*
 * Conductor's Python SDK (conductor-python) runs a polling worker against Baton: the SDK's own
 * TaskHandler polls `GET /api/tasks/poll/batch/py_shout` and reports with `POST /api/tasks`. `.ci/run`
 * installs the SDK into a virtual environment and names its interpreter in
 * BATON_TEST_CONDUCTOR_PYTHON; without an interpreter that can import it, the suite is skipped (and
 * says why). Run `npm run build` first.
 */

/** The interpreter to run the worker with, or why there is none. */
function conductorPython(): { python?: string; why?: string } {
  const python = process.env.BATON_TEST_CONDUCTOR_PYTHON ?? path.join(repoRoot(), '.venv-conductor', 'bin', 'python');
  if (!existsSync(python)) return { why: `no Python with conductor-python at ${python} (set BATON_TEST_CONDUCTOR_PYTHON, or let .ci/run create .venv-conductor)` };
  const probe = spawnSync(python, ['-c', 'import conductor.client.automator.task_handler'], { encoding: 'utf8', timeout: 30_000 });
  return probe.status === 0 ? { python } : { why: `${python} cannot import conductor-python: ${probe.stderr.trim().split('\n').pop() ?? ''}` };
}

const { python, why } = conductorPython();
if (why) console.warn(`conductor-python e2e skipped: ${why}`);
const describeWithPython = python ? describe : describe.skip;

describeWithPython("Conductor's Python SDK: a polling worker against Baton (orchestrator process, real NATS, SQLite file)", () => {
  let orchestrator: OrchestratorProcess;
  let worker: ChildHandle;

  beforeAll(async () => {
    await resetBatonStreams();
    const dataDir = tempDir('conductor-python-sdk');
    orchestrator = await startOrchestrator({ dataDir });
    mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
    // Its own process group: the SDK's TaskHandler forks one process per worker, all stopped together.
    const child = spawn(python!, [path.join(repoRoot(), 'test', 'python', 'conductor_worker.py')], {
      env: { ...process.env, CONDUCTOR_SERVER_URL: orchestrator.api.baseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    worker = new ChildHandle('python-worker', child, path.join(dataDir, 'logs', 'python-worker.log'));
  });

  afterAll(async () => {
    if (worker?.running) {
      process.kill(-worker.process.pid!, 'SIGKILL');
      await worker.exited;
    }
    await stopAll([orchestrator?.handle]);
  });

  it('given workflows with a py_shout task, when the Python SDK worker polls, then it completes each and the workflows end with its output', async () => {
    await register(orchestrator.api, [{ name: 'py_shout', retryCount: 0, responseTimeoutSeconds: 30 }], [
      { name: 'py_flow', version: 1, schemaVersion: 2, tasks: [{ name: 'py_shout', taskReferenceName: 'shout', type: 'SIMPLE', inputParameters: { text: '${workflow.input.text}' } }], outputParameters: { result: '${shout.output.shouted}' } },
    ]);

    const ids = await Promise.all(['hello', 'baton'].map((text) => orchestrator.api.expectOk('POST', '/api/workflow/py_flow', { text })));
    const done = await Promise.all(ids.map((id) => waitForStatus(orchestrator.api, id, 'COMPLETED', 60_000)));

    expect(done.map((workflow) => workflow.output)).toEqual([{ result: 'HELLO' }, { result: 'BATON' }]);
    for (const workflow of done) {
      expect(workflow.tasks[0]).toEqual(expect.objectContaining({ taskType: 'py_shout', status: 'COMPLETED', workerId: 'python-sdk-worker', outputData: expect.objectContaining({ sdk: 'conductor-python' }) }));
    }
  });
});
