import { cappedBackoff, settlesWithin } from './timing';

describe('cappedBackoff', () => {
  const policy = { initialMs: 100, maxMs: 1_000 };

  it('doubles from the initial delay and never exceeds the cap (without jitter)', () => {
    const noJitter = () => 1;
    expect([1, 2, 3, 4, 5, 30, 1_000].map((attempt) => cappedBackoff(attempt, policy, noJitter))).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('jitters down by at most 20 %', () => {
    expect(cappedBackoff(1, policy, () => 0)).toBe(80);
  });
});

describe('settlesWithin', () => {
  it('is true when the work settles in time and false when it does not', async () => {
    await expect(settlesWithin(Promise.resolve(), 50)).resolves.toBe(true);
    await expect(settlesWithin(new Promise(() => undefined), 10)).resolves.toBe(false);
  });
});
