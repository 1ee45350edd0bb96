import { PositionWaiters } from './position-waiters';
import { comparePositions } from './position';
import { retryDelayMs } from './retry-backoff';

const at = (n: number) => ({ commit: BigInt(n), prepare: BigInt(n) });

describe('PositionWaiters', () => {
  it('given a position already applied, then the wait resolves at once', async () => {
    await expect(new PositionWaiters().wait(at(5), at(5), 1_000, () => new Error('timeout'))).resolves.toBeUndefined();
  });

  it('given later progress, then waits up to it resolve and later ones keep waiting', async () => {
    const waiters = new PositionWaiters();
    const resolved: number[] = [];
    void waiters.wait(at(10), undefined, 1_000, () => new Error('timeout')).then(() => resolved.push(10));
    const later = waiters.wait(at(20), undefined, 1_000, () => new Error('timeout'));
    waiters.advance(at(15));
    await Promise.resolve();
    expect(resolved).toEqual([10]);
    waiters.rejectAll(new Error('stopped'));
    await expect(later).rejects.toThrow('stopped');
  });

  it('given no progress, then the wait rejects with the timeout error', async () => {
    await expect(new PositionWaiters().wait(at(1), undefined, 5, () => new Error('too slow'))).rejects.toThrow('too slow');
  });
});

describe('positions and backoff', () => {
  it('orders positions by commit, then prepare', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBeLessThan(0);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBeGreaterThan(0);
    expect(comparePositions(at(3), at(3))).toBe(0);
  });

  it('doubles the retry delay up to the cap, with at most 20 % jitter off', () => {
    const policy = { initialMs: 100, maxMs: 1_000 };
    expect([1, 2, 3, 4, 5, 40].map((failures) => retryDelayMs(failures, policy, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(retryDelayMs(1, policy, () => 0)).toBe(80);
  });
});
