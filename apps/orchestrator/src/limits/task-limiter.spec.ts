import { decodeSlots } from './concurrency-slots';
import { MemoryCasStore } from './memory-cas-store';
import { TaskLimiter, type LimitedTask, type ThrottleReason } from './task-limiter';
import type { TaskLimits } from './task-limits';

const clock = { now: () => Date.now() };

/** A limiter on a store, recording what it tells its owner. */
function limiterOn(store: MemoryCasStore) {
  const admitted: string[] = [];
  const throttled: { taskId: string; reason: ThrottleReason; limit: number }[] = [];
  const errors: unknown[] = [];
  const limiter = new TaskLimiter(store, clock, {
    admitted: (task) => admitted.push(task.taskId),
    throttled: (task, reason, limit) => throttled.push({ taskId: task.taskId, reason, limit }),
    error: (error) => errors.push(error),
  });
  store.onWrite((key, entry) => limiter.observe(key, entry.value, entry.revision));
  return { limiter, admitted, throttled, errors };
}

const task = (taskId: string, limits: TaskLimits, taskType = 'charge'): LimitedTask => ({ executionId: `exec-${taskId}`, taskId, taskType, limits });

/** Lets promise chains and queued rounds run (bounded). */
async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

/** Like {@link until}, for an asynchronous condition. */
async function eventually(what: string, condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2_000; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

async function holders(store: MemoryCasStore, taskType = 'charge'): Promise<string[]> {
  return decodeSlots((await store.get(`concurrency.${taskType}`))?.value);
}

describe('TaskLimiter: concurrency slots', () => {
  const limits = { concurrency: 2 };

  it('given a limit of 2, when 3 tasks are offered, then 2 go out, the third is throttled once and goes out when one ends', async () => {
    const store = new MemoryCasStore();
    const { limiter, admitted, throttled } = limiterOn(store);

    ['a', 'b', 'c'].forEach((id) => limiter.admit(task(id, limits)));
    await until('two admitted and one throttled', () => admitted.length === 2 && throttled.length === 1);

    expect(admitted).toEqual(['a', 'b']);
    expect(throttled).toEqual([{ taskId: 'c', reason: 'CONCURRENCY_LIMIT', limit: 2 }]);
    expect(limiter.waitingByType().get('charge')).toBe(1);

    limiter.ended('charge', 'a', limits);
    await until('c admitted', () => admitted.length === 3);
    expect(admitted[2]).toBe('c');
    expect(await holders(store)).toEqual(['b', 'c']);
    expect(limiter.waitingByType().get('charge')).toBe(0);
  });

  it('given a task that already holds a slot (dispatched before a crash), when recovery offers it again with the set full, then it goes out at once without a second slot', async () => {
    const store = new MemoryCasStore();
    await store.put('concurrency.charge', JSON.stringify({ holders: ['x', 'y'] }), 0);
    const { limiter, admitted, throttled } = limiterOn(store);

    limiter.admit(task('y', limits));
    await until('y admitted', () => admitted.length === 1);

    expect(throttled).toEqual([]);
    expect(await holders(store)).toEqual(['x', 'y']);
  });

  it('given a task offered twice on one replica, when admitted, then it goes out once', async () => {
    const { limiter, admitted } = limiterOn(new MemoryCasStore());

    expect(limiter.admit(task('a', limits))).toBe(true);
    expect(limiter.admit(task('a', limits))).toBe(false);
    await until('a admitted', () => admitted.length === 1);
  });

  it('given a throttled task, when it ends while waiting (execution terminated), then it never goes out and takes no slot', async () => {
    const store = new MemoryCasStore();
    const { limiter, admitted, throttled } = limiterOn(store);
    ['a', 'b', 'c'].forEach((id) => limiter.admit(task(id, limits)));
    await until('c throttled', () => throttled.length === 1);

    limiter.ended('charge', 'c', limits);
    limiter.ended('charge', 'a', limits);
    await eventually('the slot set is [b]', async () => (await holders(store)).join() === 'b');

    expect(admitted).toEqual(['a', 'b']);
    expect(limiter.waitingByType().get('charge')).toBe(0);
  });

  it('given two replicas on one store, when each offers 20 tasks that end one tick after going out, then at most 2 hold slots at any time and all 40 go out', async () => {
    const store = new MemoryCasStore();
    const replicas = [limiterOn(store), limiterOn(store)];
    let running = 0;
    let maxRunning = 0;
    let finished = 0;
    replicas.forEach(({ limiter }, r) => {
      const admittedBefore = replicas[r]!.admitted;
      const push = admittedBefore.push.bind(admittedBefore);
      admittedBefore.push = (...ids: string[]) => {
        for (const id of ids) {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          setImmediate(() => {
            running -= 1;
            finished += 1;
            // The end may be applied on either replica.
            replicas[finished % 2]!.limiter.ended('charge', id, limits);
          });
        }
        return push(...ids);
      };
      for (let i = 0; i < 20; i += 1) limiter.admit(task(`r${r}-${i}`, limits));
    });

    await until('all 40 finished', () => finished === 40);

    expect(maxRunning).toBeLessThanOrEqual(2);
    expect(store.conflicts).toBeGreaterThan(0);
    await eventually('every slot given back', async () => (await holders(store)).length === 0);
  });
});

describe('TaskLimiter: rate windows', () => {
  beforeEach(() => jest.useFakeTimers({ now: 100_000, doNotFake: ['setImmediate', 'queueMicrotask', 'nextTick'] }));
  afterEach(() => jest.useRealTimers());

  it('given 2 per second, when 5 tasks are offered, then 2 go out per window in order, the others throttled once with RATE_LIMIT', async () => {
    const { limiter, admitted, throttled } = limiterOn(new MemoryCasStore());
    const rate = { rate: { perWindow: 2, windowMs: 1_000 } };

    ['a', 'b', 'c', 'd', 'e'].forEach((id) => limiter.admit(task(id, rate, 'sms')));
    await until('first window', () => admitted.length === 2 && throttled.length === 3);
    expect(throttled.map((t) => t.reason)).toEqual(['RATE_LIMIT', 'RATE_LIMIT', 'RATE_LIMIT']);

    await jest.advanceTimersByTimeAsync(1_001);
    await until('second window', () => admitted.length === 4);
    await jest.advanceTimersByTimeAsync(1_001);
    await until('third window', () => admitted.length === 5);

    expect(admitted).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(throttled).toHaveLength(3);
  });

  it('given both limits, when a task holds a slot but the window is full, then it keeps the slot and goes out in the next window', async () => {
    const store = new MemoryCasStore();
    const { limiter, admitted, throttled } = limiterOn(store);
    const both = { concurrency: 5, rate: { perWindow: 1, windowMs: 1_000 } };

    limiter.admit(task('a', both));
    limiter.admit(task('b', both));
    await until('a out, b throttled', () => admitted.length === 1 && throttled.length === 1);
    expect(throttled[0]).toEqual({ taskId: 'b', reason: 'RATE_LIMIT', limit: 1 });
    expect(await holders(store)).toEqual(['a', 'b']);
    expect(limiter.slotsNotSent().map((t) => t.taskId)).toEqual(['b']);

    await jest.advanceTimersByTimeAsync(1_001);
    await until('b out', () => admitted.length === 2);
  });

  it('given a task that took a slot and waits for the window, when the replica closes, then its slot is given back', async () => {
    const store = new MemoryCasStore();
    const { limiter, admitted } = limiterOn(store);
    const both = { concurrency: 5, rate: { perWindow: 1, windowMs: 1_000 } };
    limiter.admit(task('a', both));
    limiter.admit(task('b', both));
    await until('a out', () => admitted.length === 1);
    await until('b holds a slot', () => limiter.slotsNotSent().length === 1);

    await limiter.close();

    expect(await holders(store)).toEqual(['a']);
  });
});
