import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { simple, workflow } from '@app/domain';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import type { BatonApi, HistoryEntry } from './support/baton-api';
import { eventsOf, register, start } from './support/flows';
import { counterSum } from './support/prometheus-text';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

const CONCURRENCY_LIMIT = 3;
const EXECUTIONS = 100;
const RATE_PER_SECOND = 5;
const RATE_EXECUTIONS = 20;
const CRASH_EXECUTIONS = 60;
/** Reconciliation runs this often in the test (10 s by default). */
const RECONCILE_MS = 1_000;

const typesOf = (history: readonly HistoryEntry[]) => history.map((event) => event.type);

/** Starts `count` executions, alternating between the orchestrators' HTTP APIs, 10 requests at a time. */
async function startSpread(apis: readonly BatonApi[], name: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 10) {
    ids.push(...(await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, j) => start(apis[(i + j) % apis.length]!, name, { n: i + j })))));
  }
  return ids;
}

/**
 * Waits until every execution is COMPLETED, reading histories (the store): a replica's status
 * view may lag for executions whose last events the other replica stored.
 */
/** Executions whose history says COMPLETED. */
async function completedCount(api: BatonApi, ids: readonly string[]): Promise<number> {
  const histories = await Promise.all(ids.map((id) => api.history(id)));
  return histories.filter((history) => typesOf(history).includes('ExecutionCompleted')).length;
}

async function waitAllCompleted(api: BatonApi, ids: readonly string[], timeoutMs: number): Promise<void> {
  const open = new Set(ids);
  await waitFor(`${ids.length} executions to complete`, async () => {
    for (const id of [...open]) {
      const types = typesOf(await api.history(id));
      if (types.includes('ExecutionCompleted')) open.delete(id);
      else if (types.some((type) => type.startsWith('Execution') && type !== 'ExecutionStarted')) throw new Error(`execution ${id} did not complete: ${types.join(', ')}`);
    }
    return open.size === 0;
  }, { timeoutMs, intervalMs: 250 });
}

describe('rate and concurrency limits with two orchestrator processes on one SQLite event store', () => {
  const bucket = `BATON_LIMITS_E2E_${Date.now().toString(36)}`;
  let dir: string;
  let env: Record<string, string>;
  let a: OrchestratorProcess;
  let b: OrchestratorProcess;
  let nc: NatsConnection;
  const workers: BatonWorker[] = [];

  beforeAll(async () => {
    await resetBatonStreams();
    dir = tempDir('task-limits');
    // Own data dirs (read models, logs), one event store file, one limits bucket for this run.
    env = { BATON_EVENT_STORE: `sqlite:${path.join(dir, 'shared-events.db')}`, BATON_LIMITS_BUCKET: bucket, BATON_LIMITS_RECONCILE_MS: String(RECONCILE_MS) };
    // One after the other: the first creates the store file, the bucket and the streams.
    a = await startOrchestrator({ dataDir: path.join(dir, 'a'), name: 'orchestrator-a', env });
    b = await startOrchestrator({ dataDir: path.join(dir, 'b'), name: 'orchestrator-b', env });
    nc = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await stopAll([a?.handle, b?.handle]);
    await (await nc?.jetstream().views.kv(bucket))?.destroy();
    await nc?.close();
  });

  /** Registers on A and waits until B has read the definitions from the shared store. */
  async function registerOnBoth(taskDef: Parameters<typeof register>[1][number], flowName: string): Promise<void> {
    await register(a.api, [taskDef], [workflow(flowName).tasks(simple(taskDef.name, 'only')).build()]);
    await waitFor(`B to know ${flowName}`, async () => (await b.api.request('GET', `/api/metadata/workflow/${flowName}`)).status === 200);
  }

  it(`given concurrentExecLimit ${CONCURRENCY_LIMIT} and ${EXECUTIONS} executions started through both orchestrators, when a worker with 20 slots runs them, then at most ${CONCURRENCY_LIMIT} run at once, all complete and throttled ones show TaskThrottled then TaskDispatched`, async () => {
    await registerOnBoth({ name: 'limited_task', concurrentExecLimit: CONCURRENCY_LIMIT, retryCount: 0, responseTimeoutSeconds: 120 }, 'limited_flow');
    let running = 0;
    let maxRunning = 0;
    const worker = createWorker({
      taskType: 'limited_task',
      natsUrl: NATS_URL,
      concurrency: 20,
      handler: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        try {
          await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 50)); // the work itself
          return { done: true };
        } finally {
          running -= 1;
        }
      },
    });
    workers.push(worker);
    await worker.start();

    const ids = await startSpread([a.api, b.api], 'limited_flow', EXECUTIONS);
    await waitAllCompleted(a.api, ids, 90_000);

    expect(maxRunning).toBeLessThanOrEqual(CONCURRENCY_LIMIT);
    expect(maxRunning).toBeGreaterThanOrEqual(2);
    const histories = await Promise.all(ids.map((id) => a.api.history(id)));
    const throttled = histories.filter((history) => eventsOf(history, 'TaskThrottled').length > 0);
    expect(throttled.length).toBeGreaterThan(EXECUTIONS / 2);
    for (const history of throttled) {
      // (deadline timers may sit in between)
      expect(typesOf(history).filter((type) => type.startsWith('Task'))).toEqual(['TaskScheduled', 'TaskThrottled', 'TaskDispatched', 'TaskCompleted']);
      const [event] = eventsOf(history, 'TaskThrottled');
      expect(event!.data).toMatchObject({ reason: 'CONCURRENCY_LIMIT', limit: CONCURRENCY_LIMIT });
      expect(event!.metadata).toMatchObject({ actor: 'orchestrator:limiter', causationId: 'limiter:limited_task' });
    }
    for (const history of histories.filter((h) => !throttled.includes(h))) expect(eventsOf(history, 'TaskDispatched')).toHaveLength(0);
    // Both processes held tasks back: the limit was contended across them, not kept by one.
    for (const api of [a.api, b.api]) {
      const metrics = (await api.request('GET', '/metrics')).text;
      expect(counterSum(metrics, 'baton_tasks_throttled_total', { task_type: 'limited_task', reason: 'CONCURRENCY_LIMIT' })).toBeGreaterThan(0);
    }
    // Every slot was given back.
    const kv = await nc.jetstream().views.kv(bucket);
    await waitFor('the slot set to be empty', async () => {
      const entry = await kv.get('concurrency.limited_task');
      return entry !== null && (entry.json<{ holders: string[] }>().holders.length === 0);
    });
  });

  it(`given rateLimitPerFrequency ${RATE_PER_SECOND} per second and ${RATE_EXECUTIONS} executions, when they run, then at most ${RATE_PER_SECOND} are dispatched in any one-second window`, async () => {
    await registerOnBoth({ name: 'rate_task', rateLimitPerFrequency: RATE_PER_SECOND, rateLimitFrequencyInSeconds: 1, retryCount: 0 }, 'rate_flow');
    const worker = createWorker({ taskType: 'rate_task', natsUrl: NATS_URL, concurrency: 20, handler: async () => ({ done: true }) });
    workers.push(worker);
    await worker.start();

    // Start the burst just after a window boundary, so the first tasks are admitted in the window they are scheduled in.
    await waitFor('the start of a second', () => Date.now() % 1_000 < 50, { timeoutMs: 2_000, intervalMs: 5 });
    const ids = await startSpread([a.api, b.api], 'rate_flow', RATE_EXECUTIONS);
    await waitAllCompleted(b.api, ids, 60_000);

    const histories = await Promise.all(ids.map((id) => b.api.history(id)));
    const dispatchedAt = histories.map((history) => Number((eventsOf(history, 'TaskDispatched')[0] ?? eventsOf(history, 'TaskScheduled')[0])!.data.at));
    const perWindow = new Map<number, number>();
    for (const at of dispatchedAt) perWindow.set(Math.floor(at / 1_000), (perWindow.get(Math.floor(at / 1_000)) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(RATE_PER_SECOND);
    expect(perWindow.size).toBeGreaterThanOrEqual(RATE_EXECUTIONS / RATE_PER_SECOND);
    const throttled = histories.flatMap((history) => eventsOf(history, 'TaskThrottled'));
    expect(throttled.length).toBeGreaterThanOrEqual(RATE_EXECUTIONS - 2 * RATE_PER_SECOND);
    for (const event of throttled) expect(event.data).toMatchObject({ reason: 'RATE_LIMIT', limit: RATE_PER_SECOND });
  });
  it(`given a slot leaked by a dead replica and an orchestrator killed (-9) with tasks waiting, when it restarts, then the leaked slot is reclaimed, every waiting task runs and the limit still holds`, async () => {
    await registerOnBoth({ name: 'crash_task', concurrentExecLimit: CONCURRENCY_LIMIT, retryCount: 0, responseTimeoutSeconds: 120 }, 'crash_flow');
    // A slot held by a task of an execution that does not exist: what a replica dying between storing a task's end and freeing its slot leaves.
    const kv = await nc.jetstream().views.kv(bucket);
    await kv.put('concurrency.crash_task', JSON.stringify({ holders: ['00000000-0000-4000-8000-000000000000-1'] }));
    let running = 0;
    let maxRunning = 0;
    const worker = createWorker({
      taskType: 'crash_task',
      natsUrl: NATS_URL,
      concurrency: 20,
      handler: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        try {
          await new Promise((resolve) => setTimeout(resolve, 100)); // the work itself
          return { done: true };
        } finally {
          running -= 1;
        }
      },
    });
    workers.push(worker);
    await worker.start();

    const ids = await startSpread([a.api], 'crash_flow', CRASH_EXECUTIONS);
    await waitFor('a few executions to complete', async () => (await completedCount(b.api, ids)) >= 6, { timeoutMs: 30_000 });
    await a.handle.kill9();
    const completedAtKill = await completedCount(b.api, ids);
    a = await startOrchestrator({ dataDir: path.join(dir, 'a'), name: 'orchestrator-a', env });
    await waitAllCompleted(b.api, ids, 90_000);

    expect(completedAtKill).toBeLessThan(CRASH_EXECUTIONS);
    expect(maxRunning).toBeLessThanOrEqual(CONCURRENCY_LIMIT);
    const reclaimed = await Promise.all([a.api, b.api].map(async (api) => counterSum((await api.request('GET', '/metrics')).text, 'baton_limit_slots_reclaimed_total', { task_type: 'crash_task' })));
    expect(reclaimed[0]! + reclaimed[1]!).toBeGreaterThanOrEqual(1);
    await waitFor('the slot set to be empty', async () => (await kv.get('concurrency.crash_task'))?.json<{ holders: string[] }>().holders.length === 0);
  });
});
