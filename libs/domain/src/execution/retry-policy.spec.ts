import { retryDelayMs, hasRetriesLeft } from '@app/domain';

describe('retry policy (Conductor rules)', () => {
  it('FIXED waits retryDelaySeconds every time', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs({ name: 't', retryLogic: 'FIXED', retryDelaySeconds: 2 }, attempt, 'x'))).toEqual([2000, 2000, 2000]);
  });

  it('LINEAR_BACKOFF grows by retryDelaySeconds × attempt', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs({ name: 't', retryLogic: 'LINEAR_BACKOFF', retryDelaySeconds: 2 }, attempt, 'x'))).toEqual([2000, 4000, 6000]);
  });

  it('EXPONENTIAL_BACKOFF doubles, capped by maxRetryDelaySeconds', () => {
    const def = { name: 't', retryLogic: 'EXPONENTIAL_BACKOFF' as const, retryDelaySeconds: 1, maxRetryDelaySeconds: 5 };
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(def, attempt, 'x'))).toEqual([1000, 2000, 4000, 5000]);
  });

  it('backoffJitterMs adds at most that much, the same for the same task (replays agree)', () => {
    const def = { name: 't', retryDelaySeconds: 1, backoffJitterMs: 500 };
    const delays = ['a', 'b', 'c', 'd'].map((taskId) => retryDelayMs(def, 1, taskId));
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(1500);
    }
    expect(new Set(delays).size).toBeGreaterThan(1);
    expect(retryDelayMs(def, 1, 'a')).toBe(delays[0]);
  });

  it('retryCount counts retries after the first attempt', () => {
    expect(hasRetriesLeft({ name: 't', retryCount: 2 }, 2)).toBe(true);
    expect(hasRetriesLeft({ name: 't', retryCount: 2 }, 3)).toBe(false);
  });
});
