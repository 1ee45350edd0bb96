import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ChildHandle, repoRoot } from './support/child-process';
import { eventsOf, register, waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

/*
 * examples/python-worker: a worker in Python (nats-py) speaking the JetStream contract, run against
 * an orchestrator process. Its virtual environment (examples/python-worker/.venv) is made by
 * `.ci/run`, or here when it is missing; the suite is skipped only when there is no python3 with
 * venv. Run `npm run build` first.
 */

const exampleDir = path.join(repoRoot(), 'examples', 'python-worker');

/** The example's interpreter with nats-py, or why there is none. */
function examplePython(): { python?: string; why?: string } {
  const python = path.join(exampleDir, '.venv', 'bin', 'python');
  if (!existsSync(python)) {
    const venv = spawnSync('python3', ['-m', 'venv', path.join(exampleDir, '.venv')], { encoding: 'utf8', timeout: 120_000 });
    if (venv.error || venv.status !== 0) return { why: `python3 -m venv failed: ${venv.error?.message ?? venv.stderr.trim().split('\n').pop()}` };
  }
  const probe = spawnSync(python, ['-c', 'import nats'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    // Not a reason to skip: the requirements must install (.ci/run does the same).
    const install = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--retries', '1', '--timeout', '30', '-r', path.join(exampleDir, 'requirements.txt')], { encoding: 'utf8', timeout: 300_000 });
    if (install.status !== 0) throw new Error(`pip install -r examples/python-worker/requirements.txt failed: ${install.stderr}`);
  }
  return { python };
}

const { python, why } = examplePython();
if (why) console.warn(`python-worker e2e skipped: ${why}`);
const describeWithPython = python ? describe : describe.skip;

describeWithPython('examples/python-worker: a nats-py worker on the JetStream contract (orchestrator process, real NATS)', () => {
  let orchestrator: OrchestratorProcess;
  let worker: ChildHandle;

  beforeAll(async () => {
    await resetBatonStreams();
    const dataDir = tempDir('python-worker');
    orchestrator = await startOrchestrator({ dataDir });
    const child = spawn(python!, [path.join(exampleDir, 'worker.py')], {
      env: { ...process.env, BATON_NATS_URL: NATS_URL, BATON_WORKER_ID: 'python-example', PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker = new ChildHandle('python-worker', child, path.join(dataDir, 'logs', 'python-worker.log'));
    await worker.waitForLine(/ready/, 60_000);
  });

  afterAll(async () => {
    await stopAll([worker, orchestrator?.handle]);
  });

  it('given greet tasks, when the Python worker takes them, then it heartbeats while they run, completes the good ones and fails the bad one terminally (not retried)', async () => {
    // responseTimeoutSeconds 3: the worker heartbeats every second, so Ada's 3.5 s task outlives the timeout only through them.
    await register(orchestrator.api, [{ name: 'greet', retryCount: 2, retryDelaySeconds: 0, responseTimeoutSeconds: 3 }], [
      { name: 'py_greeting', version: 1, schemaVersion: 2, tasks: [{ name: 'greet', taskReferenceName: 'greet', type: 'SIMPLE', inputParameters: { name: '${workflow.input.name}', workMs: '${workflow.input.workMs}' } }], outputParameters: { greeting: '${greet.output.greeting}' } },
    ]);

    const [ada, grace, nameless] = await Promise.all([{ name: 'Ada', workMs: 3_500 }, { name: 'Grace', workMs: 0 }, { name: '', workMs: 0 }].map((input) => orchestrator.api.expectOk('POST', '/api/workflow/py_greeting', input)));
    const [adaDone, graceDone, failed] = await Promise.all([waitForStatus(orchestrator.api, ada, 'COMPLETED', 60_000), waitForStatus(orchestrator.api, grace, 'COMPLETED', 60_000), waitForStatus(orchestrator.api, nameless, 'FAILED', 60_000)]);

    expect([adaDone.output, graceDone.output]).toEqual([{ greeting: 'Hello, Ada!' }, { greeting: 'Hello, Grace!' }]);
    expect(adaDone.tasks).toEqual([expect.objectContaining({ status: 'COMPLETED', workerId: 'python-example', outputData: { greeting: 'Hello, Ada!', worker: 'python' } })]);
    const adaHistory = await orchestrator.api.history(ada);
    // One heartbeat when the work starts, then one per second of the 3.5 s it takes.
    expect(eventsOf(adaHistory, 'TaskProgressReported').length).toBeGreaterThanOrEqual(4);
    expect(eventsOf(adaHistory, 'TaskTimedOut')).toEqual([]);

    expect(failed.tasks).toEqual([expect.objectContaining({ status: 'FAILED_WITH_TERMINAL_ERROR', reasonForIncompletion: 'input.name must be a non-empty string', workerId: 'python-example' })]);
    expect(failed.reasonForIncompletion).toContain('input.name must be a non-empty string');
  });
});
