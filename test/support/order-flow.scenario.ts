import path from 'node:path';
import type { ChildHandle } from './child-process';
import { REJECT_EVERY, startOrders, verifyOrders, waitForAllEnded } from './order-run';
import { resetBatonStreams, startOrchestrator, startSampleServices, stopAll, tempDir, type OrchestratorProcess } from './stack';
import { scratchPostgresSchema, type ScratchSchema } from './postgres-schema';
import { provideStore, STORE_TITLES, type StoreKind, type StoreUnderTest } from './store-under-test';

/**
 * The 200-order end-to-end suite (orchestrator and five sample services as processes, real NATS,
 * SQLite read model) on one event store; one spec file per store calls it.
 */
export function describeOrderFlow(kind: StoreKind, options: { readModel?: 'sqlite' | 'postgres' } = {}): void {
  const readModelTitle = options.readModel === 'postgres' ? 'PostgreSQL read model' : 'SQLite read model';
  describe(`order flow end to end (orchestrator and five sample services as processes, real NATS, ${STORE_TITLES[kind]}, ${readModelTitle})`, () => {
    let store: StoreUnderTest | undefined;
    let readModel: ScratchSchema | undefined;
    let orchestrator: OrchestratorProcess | undefined;
    let services: ChildHandle[] = [];

    beforeAll(async () => {
      await resetBatonStreams();
      const dir = tempDir(`order-flow-${kind}`);
      store = await provideStore(kind, dir);
      if (options.readModel === 'postgres') readModel = await scratchPostgresSchema('order_flow');
      orchestrator = await startOrchestrator({ dataDir: dir, env: { ...store.env, ...(readModel ? { BATON_READ_MODEL: readModel.url } : {}) } });
      services = await startSampleServices({ apiUrl: orchestrator.api.baseUrl, logDir: path.join(dir, 'logs') });
      await orchestrator.api.registerSampleFlow();
    });

    afterAll(async () => {
      await stopAll([...services, orchestrator?.handle]);
      await stopAll(store?.handles ?? []);
      await readModel?.drop();
    });

    it('given 200 orders, when pushed through, then each reaches its expected end state (accepted ones via the payment signal) with no duplicated transition', async () => {
      const api = orchestrator!.api;
      const ids = await startOrders(api, 200);
      const ended = await waitForAllEnded(api, ids.values());

      expect(await verifyOrders(api, ids, ended)).toEqual([]);
      const statuses = [...ended.values()].map((workflow) => workflow.status);
      expect(statuses.filter((status) => status === 'TERMINATED')).toHaveLength(200 / REJECT_EVERY);
      expect(statuses.filter((status) => status === 'COMPLETED')).toHaveLength(200 - 200 / REJECT_EVERY);
    });
  });
}
