import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ORDER_WORKFLOW } from '@app/samples';
import type { ChildHandle } from './child-process';
import { REJECT_EVERY, startOrders, verifyOrders, waitForAllEnded } from './order-run';
import { resetBatonStreams, startOrchestrator, startSampleServices, stopAll, tempDir, type OrchestratorProcess } from './stack';
import { scratchPostgresSchema, type ScratchSchema } from './postgres-schema';
import { waitFor } from '@app/testing/wait-for';
import { provideStore, STORE_TITLES, type StoreKind, type StoreUnderTest } from './store-under-test';

/** One entry of `GET /api/reports/tasks`. */
interface TaskStatsView {
  taskDefName: string;
  taskType: string;
  total: number;
  byStatus: Record<string, number | undefined>;
  avgDurationMs: number | null;
  p50DurationMs: number | null;
}

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
    let ordersEnded = false;

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
      ordersEnded = true;
    });

    it('given the 200 orders ended, when GET /api/reports/tasks, then each worker task type counts one completed attempt per order that ran it', async () => {
      if (!ordersEnded) throw new Error('needs the 200 orders of the previous test');
      const api = orchestrator!.api;
      const accepted = 200 - 200 / REJECT_EVERY;
      const expected = { charge_payment: accepted, check_fraud: 200, notify_customer: 200, reserve_inventory: 200, ship_order: accepted, validate_order: 200 };
      const report = async (query: string) => JSON.parse(await api.expectOk('GET', `/api/reports/tasks?${query}`)) as TaskStatsView[];
      const completedByTask = (stats: readonly TaskStatsView[]) =>
        Object.fromEntries(stats.filter((entry) => entry.taskType === 'SIMPLE').map((entry) => [entry.taskDefName, entry.byStatus.COMPLETED ?? 0]));

      // The read model follows the log: wait until it has projected the last completions.
      const stats = await waitFor('the task report to count every order', async () => {
        const current = await report(`workflowName=${ORDER_WORKFLOW}`);
        return isDeepStrictEqual(completedByTask(current), expected) ? current : undefined;
      });

      for (const entry of stats.filter((candidate) => candidate.taskType === 'SIMPLE')) {
        expect(entry).toEqual(expect.objectContaining({ total: expect.any(Number), avgDurationMs: expect.any(Number), p50DurationMs: expect.any(Number) }));
        expect(entry.total).toBeGreaterThanOrEqual(entry.byStatus.COMPLETED ?? 0);
      }
      expect((await report('taskDefName=ship_order')).map((entry) => [entry.taskDefName, entry.byStatus.COMPLETED])).toEqual([['ship_order', accepted]]);
      expect(await report(`since=${Date.now() + 60_000}`)).toEqual([]);
      expect(await report('workflowName=no_such_workflow')).toEqual([]);
    });
  });
}
