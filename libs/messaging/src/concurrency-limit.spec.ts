import { ConcurrencyLimit } from './concurrency-limit';

describe('ConcurrencyLimit', () => {
  it('grants slots synchronously up to the limit, then queues in order', async () => {
    // given a limit of 2 with both slots taken
    const limit = new ConcurrencyLimit(2);
    expect(limit.acquire()).toBeUndefined();
    expect(limit.acquire()).toBeUndefined();

    // when two more ask
    const order: string[] = [];
    const third = limit.acquire()!.then(() => order.push('third'));
    const fourth = limit.acquire()!.then(() => order.push('fourth'));

    // then they get slots only as slots are released, first come first served
    limit.release();
    await third;
    expect(order).toEqual(['third']);
    expect(limit.inUse).toBe(2);
    limit.release();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
  });

  it('reports idle once every slot is released', async () => {
    const limit = new ConcurrencyLimit(3);
    limit.acquire();
    limit.acquire();
    let idle = false;
    const waiting = limit.idle().then(() => (idle = true));

    limit.release();
    await Promise.resolve();
    expect(idle).toBe(false);
    limit.release();
    await waiting;
    expect(idle).toBe(true);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(RangeError);
  });
});
