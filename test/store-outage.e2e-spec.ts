import path from 'node:path';
import { sampleOrder } from '@app/samples';
import type { BatonApi } from './support/baton-api';
import type { ChildHandle } from './support/child-process';
import { startEsdbTestServer, type EsdbServerProcess } from './support/esdb-server-process';
import { expectError } from './support/http-expect';
import { REJECT_EVERY, startOrders, verifyOrders, waitForAllEnded } from './support/order-run';
import { counterSum, gaugeValue } from './support/prometheus-text';
import { deadLettersOf, resetBatonStreams, startOrchestrator, startSampleServices, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

const ORDERS = 200;
/** How long the store stays away once the orchestrator has noticed: long enough for results to pile up and be retried. */
const OUTAGE_MS = 8_000;
/**
 * Cap of the orchestrator's result retry backoff, at its minimum: a result retried delivery after
 * delivery (each try also takes the adapter's own ~0.3 s of retries) would use up its 10 deliveries
 * within the outage and be dead-lettered, i.e. lost.
 */
const RESULT_RETRY_MAX_MS = 200;

/** Results the orchestrator acknowledged so far (all task types). */
async function resultsAcked(api: BatonApi): Promise<number> {
  const metrics = (await api.request('GET', '/metrics')).text;
  return counterSum(metrics, 'baton_inbound_messages_total', { outcome: 'acked' });
}

describe('store outage: the EventStoreDB test server process goes away in the middle of 200 orders and comes back with its data', () => {
  let dir: string;
  let dataFile: string;
  let esdb: EsdbServerProcess | undefined;
  let restarted: EsdbServerProcess | undefined;
  let orchestrator: OrchestratorProcess | undefined;
  let services: ChildHandle[] = [];

  beforeAll(async () => {
    await resetBatonStreams();
    dir = tempDir('store-outage');
    dataFile = path.join(dir, 'esdb.jsonl');
    esdb = await startEsdbTestServer({ logDir: path.join(dir, 'logs'), dataFile });
    orchestrator = await startOrchestrator({
      dataDir: dir,
      env: { BATON_EVENT_STORE: esdb.connectionString, BATON_RESULT_RETRY_MAX_MS: String(RESULT_RETRY_MAX_MS) },
    });
    services = await startSampleServices({ apiUrl: orchestrator.api.baseUrl, logDir: path.join(dir, 'logs') });
    await orchestrator.api.registerSampleFlow();
  });

  afterAll(async () => {
    await stopAll([...services, orchestrator?.handle]);
    await stopAll([esdb?.handle, restarted?.handle]);
  });

  it('given 200 orders being started, when the store stops for a few seconds and restarts on the same port with its data file, then meanwhile /health blames the event store, starts are refused as retryable and no result is acknowledged, and afterwards every order reaches its end state with no transition lost, duplicated or dead-lettered', async () => {
    const api = orchestrator!.api;
    let started = 0;
    const starting = startOrders(api, ORDERS, { parallel: 8, reliable: true, onStarted: (count) => (started = count) });
    // Awaited below; if an assertion fails first, its later rejection must not surface in another suite.
    starting.catch(() => undefined);
    await waitFor('80 orders to be started', () => started >= 80, { timeoutMs: 60_000, intervalMs: 5 });

    // SIGTERM: the server flushes its data file and exits; the orchestrator's connections drop and reconnects are refused.
    await esdb!.handle.stop();

    const down = await waitFor(
      '/health to report the event store down',
      async () => {
        const health = await api.health();
        return health.status === 503 && health.report.error?.eventStore?.status === 'down' ? health.report : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(down.error?.eventStore?.message).toEqual(expect.stringMatching(/EventStoreDB/));
    expect(down.details.nats?.status).toBe('up');
    // Results whose events reached the store before it went are still acknowledged once the rest of
    // their group commit has failed (the adapter retries the failed appends first); from the moment
    // the orchestrator marks the store unavailable and pauses results, nothing more may be.
    await waitFor('the orchestrator to mark the store unavailable', async () => gaugeValue((await api.request('GET', '/metrics')).text, 'baton_event_store_available') === 0, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    const startedWhenDown = started;
    const ackedWhenDown = await resultsAcked(api);

    const probe = sampleOrder(ORDERS + 1, { rejectEvery: REJECT_EVERY });
    const refused = expectError(await api.startOrderIdempotently(probe), 503, 'EVENT_STORE_UNAVAILABLE');
    expect(refused.retryable).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)); // the outage itself, not a wait for a condition
    expect({ started: started, acked: await resultsAcked(api) }).toEqual({ started: startedWhenDown, acked: ackedWhenDown });
    expect((await api.health()).status).toBe(503);

    restarted = await startEsdbTestServer({ logDir: path.join(dir, 'logs'), dataFile, port: esdb!.port, name: 'esdb-test-server-restarted' });

    await waitFor('/health to be 200 again', () => api.healthy(), { timeoutMs: 15_000, intervalMs: 100 });
    const ids = await starting;
    ids.set(ORDERS + 1, await api.startOrderReliably(probe));
    expect(new Set(ids.values()).size).toBe(ORDERS + 1);
    const ended = await waitForAllEnded(api, ids.values(), 120_000);
    expect(await verifyOrders(api, ids, ended)).toEqual([]);
    expect(await deadLettersOf(new Set(ids.values()))).toEqual([]);
  });
});
