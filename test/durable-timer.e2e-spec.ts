import { simple, wait, workflow } from '@app/domain';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import { eventsOf, register, start, waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

describe('durable timers survive a crash', () => {
  let first: OrchestratorProcess | undefined;
  let second: OrchestratorProcess | undefined;
  let worker: BatonWorker | undefined;

  beforeAll(async () => {
    await resetBatonStreams();
  });

  afterAll(async () => {
    await worker?.stop();
    await stopAll([first?.handle, second?.handle]);
  });

  it('given a WAIT of 2 s, when the orchestrator is killed with SIGKILL right after arming it and restarted, then the timer fires and the execution completes', async () => {
    const dir = tempDir('durable-timer');
    first = await startOrchestrator({ dataDir: dir, name: 'orchestrator-1' });
    await register(first.api, [{ name: 'after_wait', retryCount: 0 }], [workflow('cool_off').tasks(wait('pause', { duration: '2s' }), simple('after_wait', 'after')).build()]);
    worker = createWorker({ taskType: 'after_wait', natsUrl: NATS_URL, handler: async () => ({ ok: true }) });
    await worker.start();

    const id = await start(first.api, 'cool_off');
    const armed = eventsOf(await first.api.history(id), 'TimerStarted').find((event) => (event.data.purpose as { kind: string }).kind === 'WAIT');
    expect(armed).toBeDefined();
    await first.handle.kill9();

    second = await startOrchestrator({ dataDir: dir, port: first.port, name: 'orchestrator-2' });
    await waitForStatus(second.api, id, 'COMPLETED', 30_000);
    const history = await second.api.history(id);
    const fired = eventsOf(history, 'TimerFired').find((event) => event.data.timerId === armed!.data.timerId);
    expect(fired).toBeDefined();
    // Never early; after a restart it fires as soon as the timer service has loaded it.
    expect(Number(fired!.data.at)).toBeGreaterThanOrEqual(Number(armed!.data.dueAt));
    expect(eventsOf(history, 'TaskCompleted').length).toBe(2);
  });

  it('given WAIT timers while running normally, when they come due, then each fires within 1 s of its due time', async () => {
    const api = (second ?? first)!.api;
    await register(api, [], [workflow('short_wait').tasks(wait('pause', { duration: '1s' })).build()]);
    const ids = await Promise.all(Array.from({ length: 20 }, () => start(api, 'short_wait')));
    for (const id of ids) await waitForStatus(api, id, 'COMPLETED', 15_000);
    for (const id of ids) {
      const history = await api.history(id);
      const armed = eventsOf(history, 'TimerStarted')[0]!;
      const fired = eventsOf(history, 'TimerFired')[0]!;
      const lateness = Number(fired.data.at) - Number(armed.data.dueAt);
      expect(lateness).toBeGreaterThanOrEqual(0);
      expect(lateness).toBeLessThan(1_000);
    }
  });
});
