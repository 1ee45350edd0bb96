import { simple, workflow } from '@app/domain';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import { eventsOf, register, start, waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

describe('retries and timeouts on real NATS (orchestrator process, workers in the test)', () => {
  let orchestrator: OrchestratorProcess;
  const workers: BatonWorker[] = [];

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('retries') });
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await stopAll([orchestrator?.handle]);
  });

  it('given a worker that fails twice then succeeds, when run with LINEAR_BACKOFF, then it completes on attempt 3 and history shows the growing retry delays', async () => {
    await register(
      orchestrator.api,
      [{ name: 'flaky', retryCount: 3, retryLogic: 'LINEAR_BACKOFF', retryDelaySeconds: 1, responseTimeoutSeconds: 30 }],
      [workflow('flaky_flow').tasks(simple('flaky', 'flaky')).build()],
    );
    const attempts: number[] = [];
    const worker = createWorker({
      taskType: 'flaky',
      natsUrl: NATS_URL,
      handler: async (task) => {
        attempts.push(task.attempt);
        if (task.attempt < 3) throw new Error(`transient failure ${task.attempt}`);
        return { attempt: task.attempt };
      },
    });
    workers.push(worker);
    await worker.start();

    const id = await start(orchestrator.api, 'flaky_flow');
    const done = await waitForStatus(orchestrator.api, id, 'COMPLETED');

    expect(attempts).toEqual([1, 2, 3]);
    expect(done.tasks.map((task) => task.status)).toEqual(['FAILED', 'FAILED', 'COMPLETED']);
    const history = await orchestrator.api.history(id);
    const retryTimers = eventsOf(history, 'TimerStarted').filter((event) => (event.data.purpose as { kind: string }).kind === 'RETRY');
    const failures = eventsOf(history, 'TaskFailed');
    // LINEAR_BACKOFF: 1 s after the first failure, 2 s after the second.
    expect(retryTimers.map((event, i) => Number(event.data.dueAt) - Number(failures[i]!.data.at))).toEqual([1_000, 2_000]);
    const scheduled = eventsOf(history, 'TaskScheduled');
    expect(Number(scheduled[1]!.data.at)).toBeGreaterThanOrEqual(Number(retryTimers[0]!.data.dueAt));
    expect(Number(scheduled[2]!.data.at)).toBeGreaterThanOrEqual(Number(retryTimers[1]!.data.dueAt));
  });

  it('given a worker that never answers, when the response timeout passes, then the task is retried and the workflow times out (TIME_OUT_WF)', async () => {
    await register(
      orchestrator.api,
      [{ name: 'silent', retryCount: 1, retryDelaySeconds: 0, responseTimeoutSeconds: 1, timeoutSeconds: 30, timeoutPolicy: 'TIME_OUT_WF' }],
      [workflow('silent_flow').tasks(simple('silent', 'silent')).build()],
    );
    // No worker consumes baton.task.silent.
    const id = await start(orchestrator.api, 'silent_flow');
    const timedOut = await waitForStatus(orchestrator.api, id, 'TIMED_OUT');

    expect(timedOut.tasks.map((task) => task.status)).toEqual(['TIMED_OUT', 'TIMED_OUT']);
    const history = await orchestrator.api.history(id);
    expect(eventsOf(history, 'TaskTimedOut').map((event) => event.data.timeout)).toEqual(['RESPONSE_TIMEOUT', 'RESPONSE_TIMEOUT']);
    expect(eventsOf(history, 'ExecutionTimedOut')).toHaveLength(1);
  });

  it('given a worker that heartbeats, when its task outlives the response timeout, then it is not timed out', async () => {
    await register(
      orchestrator.api,
      [{ name: 'slow_but_alive', retryCount: 0, responseTimeoutSeconds: 1 }],
      [workflow('slow_flow').tasks(simple('slow_but_alive', 'slow')).build()],
    );
    const worker = createWorker({
      taskType: 'slow_but_alive',
      natsUrl: NATS_URL,
      heartbeatIntervalMs: 250,
      handler: async () => {
        await new Promise((resolve) => setTimeout(resolve, 2_500)); // the work itself: longer than the response timeout
        return { done: true };
      },
    });
    workers.push(worker);
    await worker.start();

    const id = await start(orchestrator.api, 'slow_flow');
    await waitForStatus(orchestrator.api, id, 'COMPLETED');
    const history = await orchestrator.api.history(id);
    expect(eventsOf(history, 'TaskProgressReported').length).toBeGreaterThan(0);
    expect(eventsOf(history, 'TaskTimedOut')).toHaveLength(0);
  });
});
