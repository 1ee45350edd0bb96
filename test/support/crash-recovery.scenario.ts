import path from 'node:path';
import type { ChildHandle } from './child-process';
import { startOrders, verifyOrders, waitForAllEnded } from './order-run';
import { resetBatonStreams, startOrchestrator, startSampleServices, stopAll, tempDir, type OrchestratorProcess } from './stack';
import { provideStore, STORE_TITLES, type StoreKind, type StoreUnderTest } from './store-under-test';
import { waitFor } from '@app/testing/wait-for';

/** The kill -9 suite on one event store (the store outlives the orchestrator); one spec file per store calls it. */
export function describeCrashRecovery(kind: StoreKind): void {
  describe(`crash recovery: kill -9 of the orchestrator in the middle of 200 orders (${STORE_TITLES[kind]})`, () => {
    let dir: string;
    let store: StoreUnderTest | undefined;
    let first: OrchestratorProcess | undefined;
    let second: OrchestratorProcess | undefined;
    let services: ChildHandle[] = [];

    beforeAll(async () => {
      await resetBatonStreams();
      dir = tempDir(`crash-${kind}`);
      store = await provideStore(kind, dir);
    });

    afterAll(async () => {
      await stopAll([...services, first?.handle, second?.handle]);
      await stopAll(store?.handles ?? []);
    });

    it('given 200 orders in flight, when the orchestrator is killed with SIGKILL and restarted, then every order completes and no stream has a duplicated transition', async () => {
      const env = store!.env;
      first = await startOrchestrator({ dataDir: dir, name: 'orchestrator-1', env });
      services = await startSampleServices({ apiUrl: first.api.baseUrl, logDir: path.join(dir, 'logs') });
      await first.api.registerSampleFlow();

      let started = 0;
      const starting = startOrders(first.api, 200, { parallel: 8, reliable: true, onStarted: (count) => (started = count) });
      await waitFor('100 orders to be started', () => started >= 100, { timeoutMs: 60_000, intervalMs: 5 });
      await first.handle.kill9();

      second = await startOrchestrator({ dataDir: dir, port: first.port, name: 'orchestrator-2', env });
      const ids = await starting;
      expect(ids.size).toBe(200);
      expect(new Set(ids.values()).size).toBe(200);

      const ended = await waitForAllEnded(second.api, ids.values(), 180_000);
      expect(await verifyOrders(second.api, ids, ended)).toEqual([]);
    });
  });
}
