import type { NatsConnection } from 'nats';
import { closeNats, connectNats } from '@app/messaging';
import { waitFor } from '@app/testing/wait-for';
import { uniqueToken } from '@app/messaging/testing/unique-token';
import { decodeSlots, encodeSlots } from './concurrency-slots';
import { KvCasStore } from './kv-cas-store';
import { SlotReconciler } from './slot-reconciler';
import { TaskLimiter, type LimitedTask } from './task-limiter';

const clock = { now: () => Date.now() };
const LIMIT = 3;
const limits = { concurrency: LIMIT };

/** One replica's limiter: its own connection, store and watch on the shared bucket. */
async function replica(bucket: string, onAdmitted: (task: LimitedTask) => void) {
  const connection = await connectNats({ name: `limiter-int-spec-${uniqueToken()}` });
  const store = await KvCasStore.open(connection, bucket);
  const throttled: string[] = [];
  const limiter = new TaskLimiter(store, clock, { admitted: onAdmitted, throttled: (task) => throttled.push(task.taskId), error: () => undefined });
  const watch = await store.watch();
  void (async () => {
    for await (const entry of watch) {
      const { key, value, revision } = KvCasStore.entryOf(entry);
      limiter.observe(key, value, revision);
    }
  })();
  return { connection, store, limiter, throttled, close: async () => { watch.stop(); limiter.stop(); await closeNats(connection); } };
}

describe('task limits on a NATS KV bucket (real NATS)', () => {
  const bucket = `BATON_LIMITS_TEST_${uniqueToken()}`;
  let admin: NatsConnection;
  let store: KvCasStore;

  beforeAll(async () => {
    admin = await connectNats({ name: 'limiter-int-spec-admin' });
    store = await KvCasStore.open(admin, bucket);
  });

  afterAll(async () => {
    await store.kv.destroy();
    await closeNats(admin);
  });

  it('given a key, when two writers compare-and-set from the same revision, then one wins and the other gets a conflict', async () => {
    const created = await store.put('concurrency.cas_probe', encodeSlots(['a']), 0);
    expect(typeof created).toBe('number');
    expect(await store.put('concurrency.cas_probe', encodeSlots(['b']), 0)).toBe('conflict');

    const first = await store.put('concurrency.cas_probe', encodeSlots(['a', 'c']), created as number);
    const second = await store.put('concurrency.cas_probe', encodeSlots(['a', 'd']), created as number);

    expect(typeof first).toBe('number');
    expect(second).toBe('conflict');
    expect(decodeSlots((await store.get('concurrency.cas_probe'))?.value)).toEqual(['a', 'c']);
    await store.kv.purge('concurrency.cas_probe');
  });

  it('given two limiters contending for 3 slots, when each offers 40 tasks that run 1–15 ms and end on either replica, then at most 3 run at once, all run and every slot is given back', async () => {
    let running = 0;
    let maxRunning = 0;
    let finished = 0;
    const replicas: Awaited<ReturnType<typeof replica>>[] = [];
    const run = (task: LimitedTask) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      setTimeout(() => {
        running -= 1;
        finished += 1;
        replicas[finished % 2]!.limiter.ended(task.taskType, task.taskId, limits);
      }, 1 + Math.random() * 14);
    };
    replicas.push(await replica(bucket, run), await replica(bucket, run));

    try {
      replicas.forEach(({ limiter }, r) => {
        for (let i = 0; i < 40; i += 1) limiter.admit({ executionId: `e${r}`, taskId: `e${r}-${i}`, taskType: 'contended', limits });
      });
      await waitFor('all 80 tasks to run', () => finished === 80, { timeoutMs: 30_000 });

      expect(maxRunning).toBeLessThanOrEqual(LIMIT);
      expect(maxRunning).toBe(LIMIT);
      expect(replicas[0]!.throttled.length + replicas[1]!.throttled.length).toBeGreaterThan(0);
      await waitFor('every slot to be given back', async () => decodeSlots((await store.get('concurrency.contended'))?.value).length === 0);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });

  it('given slots held by ended and unknown tasks (a replica died before freeing them), when reconciled, then only the pending task keeps its slot', async () => {
    await store.put('concurrency.leaky', encodeSlots(['ended-1', 'pending-1', 'gone-1']), 0);
    const { limiter, close } = await replica(bucket, () => undefined);
    try {
      const reconciler = new SlotReconciler(store, async (_executionId, taskId) => taskId === 'pending-1', (taskType, taskId) => limiter.freeSlot(taskType, taskId));

      expect(await reconciler.run()).toBe(2);
      await waitFor('the leaked slots to be freed', async () => decodeSlots((await store.get('concurrency.leaky'))?.value).join() === 'pending-1');
    } finally {
      await close();
    }
  });
});
