import path from 'node:path';
import { wait, workflow } from '@app/domain';
import { waitFor } from '@app/testing/wait-for';
import { BatonApi } from './baton-api';
import type { ChildHandle } from './child-process';
import { eventsOf, register, start } from './flows';
import { startOrders, verifyOrders, waitForAllEnded } from './order-run';
import { deadLettersOf, resetBatonStreams, startOrchestrator, startSampleServices, stopAll, tempDir, type OrchestratorProcess } from './stack';
import { provideStore, STORE_TITLES, type StoreKind, type StoreUnderTest } from './store-under-test';

/**
 * WAIT executions started on the replica that is killed, just before it is (their timers must fire
 * on time elsewhere), and as many on the surviving replica at the same moment (how late the load
 * alone makes a timer).
 */
const ORPHANED_TIMERS = 20;
const TIMER_PROBE = workflow('replica_timer_probe').tasks(wait('pause', { duration: '3s' })).build();

const p99 = (sorted: readonly number[]): number => sorted[Math.ceil(sorted.length * 0.99) - 1]!;

interface Verification {
  valid: boolean;
  consistent: boolean;
}

/**
 * How late each WAIT timer of these executions fired (TimerFired.at − TimerStarted.dueAt), in ms;
 * with `knownAt`, counted from when the survivor could know of it at the earliest (its due time,
 * or the moment the survivor's read model listed the execution, if that came later).
 */
async function timerLateness(api: BatonApi, ids: readonly string[], knownAt?: ReadonlyMap<string, number>): Promise<number[]> {
  const lateness: number[] = [];
  for (const id of ids) {
    const history = await api.history(id);
    const armed = eventsOf(history, 'TimerStarted').find((event) => (event.data.purpose as { kind: string }).kind === 'WAIT')!;
    const fired = eventsOf(history, 'TimerFired').filter((event) => event.data.timerId === armed.data.timerId);
    expect(fired).toHaveLength(1);
    lateness.push(Number(fired[0]!.data.at) - Math.max(Number(armed.data.dueAt), knownAt?.get(id) ?? 0));
  }
  return lateness.sort((x, y) => x - y);
}

/** Records when the replica's read model first lists each of these executions (its search reads the read model). */
async function watchReadModel(api: BatonApi, ids: readonly string[]): Promise<Map<string, number>> {
  const knownAt = new Map<string, number>();
  await waitFor('the surviving replica\'s read model to list the killed replica\'s executions', async () => {
    const page = (await api.request('GET', `/api/workflow/search?size=1000&query=${encodeURIComponent(`workflowType = ${TIMER_PROBE.name}`)}`)).json() as { results: { workflowId: string }[] };
    const now = Date.now();
    for (const { workflowId } of page.results) if (!knownAt.has(workflowId)) knownAt.set(workflowId, now);
    return ids.every((id) => knownAt.has(id));
  }, { timeoutMs: 60_000, intervalMs: 50 });
  return knownAt;
}

/**
 * Two orchestrator replicas on one event store and one NATS under a steady load of sample orders
 * (started on both, alternately); one replica is killed with SIGKILL mid-run, right after arming
 * WAIT timers, and restarted. One spec file per store calls it.
 */
export function describeReplicas(kind: StoreKind, orders: number): void {
  describe(`two replicas on one store (${STORE_TITLES[kind]}), ${orders} orders, one replica killed with SIGKILL mid-run and restarted`, () => {
    let dir: string;
    let store: StoreUnderTest | undefined;
    let replicaA: OrchestratorProcess | undefined;
    let restartedA: OrchestratorProcess | undefined;
    let replicaB: OrchestratorProcess | undefined;
    let services: ChildHandle[] = [];

    beforeAll(async () => {
      await resetBatonStreams();
      dir = tempDir(`replicas-${kind}`);
      store = await provideStore(kind, dir);
    });

    afterAll(async () => {
      await stopAll([...services, replicaA?.handle, restartedA?.handle, replicaB?.handle]);
      await stopAll(store?.handles ?? []);
    });

    it('then every execution ends as it should, none is stuck, no result is dead-lettered, timers of the killed replica fire within 1 s and every hash chain is valid', async () => {
      // One SQLite event store file for both (each replica keeps its own read model in its data directory).
      const env = kind === 'sqlite' ? { BATON_EVENT_STORE: `sqlite:${path.join(dir, 'baton.db')}` } : store!.env;
      replicaA = await startOrchestrator({ dataDir: path.join(dir, 'a'), name: 'replica-a', env });
      replicaB = await startOrchestrator({ dataDir: path.join(dir, 'b'), name: 'replica-b', env });
      const apiA = replicaA.api;
      const apiB = replicaB.api;
      // Replica B is never killed: the payment service confirms through it.
      services = await startSampleServices({ apiUrl: apiB.baseUrl, logDir: path.join(dir, 'logs') });
      await apiA.registerSampleFlow();
      await register(apiA, [], [TIMER_PROBE]);
      await waitFor('replica B to know the definitions', async () => (await apiB.request('GET', `/api/metadata/workflow/${TIMER_PROBE.name}`)).status === 200, { timeoutMs: 10_000 });

      // Odd orders through A, even ones through B; a start refused while A is down is retried (idempotently).
      let started = 0;
      const onStarted = (): void => void (started += 1);
      const loads = [
        startOrders(apiA, orders / 2, { parallel: 4, reliable: true, prefix: 'rep-a', onStarted }),
        startOrders(apiB, orders / 2, { parallel: 4, reliable: true, prefix: 'rep-b', from: orders / 2 + 1, onStarted }),
      ];
      await waitFor(`${orders / 2} orders to be started`, () => started >= orders / 2, { timeoutMs: 60_000, intervalMs: 5 });

      const [orphaned, control] = await Promise.all([
        Promise.all(Array.from({ length: ORPHANED_TIMERS }, () => start(apiA, TIMER_PROBE.name))),
        Promise.all(Array.from({ length: ORPHANED_TIMERS }, () => start(apiB, TIMER_PROBE.name))),
      ]);
      const detected = watchReadModel(apiB, orphaned);
      await replicaA.handle.kill9();
      restartedA = await startOrchestrator({ dataDir: path.join(dir, 'a'), port: replicaA.port, name: 'replica-a-restarted', env });

      const [idsA, idsB] = await Promise.all(loads);
      const ids = new Map([...idsA!, ...idsB!]);
      expect(ids.size).toBe(orders);
      const ended = await waitForAllEnded(apiB, [...ids.values(), ...orphaned, ...control], 60_000);

      expect(await verifyOrders(apiB, ids, ended)).toEqual([]);
      expect(orphaned.map((id) => ended.get(id)!.status)).toEqual(orphaned.map(() => 'COMPLETED'));
      expect(await deadLettersOf(new Set([...ids.values(), ...orphaned, ...control]))).toEqual([]);
      expect((await timerLateness(apiB, orphaned))[0]).toBeGreaterThanOrEqual(0); // never early
      // The takeover: from when B could know of a timer (due, and in its read model), against timers B armed
      // itself at the same moment, so the machine's load is not counted as takeover delay: at most 1 s more.
      const lateness = await timerLateness(apiB, orphaned, await detected);
      const controlLateness = await timerLateness(apiB, control);
      expect(p99(lateness)).toBeLessThanOrEqual(p99(controlLateness) + 1_000);
      for (const id of [...ids.values(), ...orphaned, ...control]) {
        const verification = (await apiB.request('GET', `/api/workflow/${id}/verify`)).json() as Verification;
        expect({ id, valid: verification.valid, consistent: verification.consistent }).toEqual({ id, valid: true, consistent: true });
      }
    });
  });
}
