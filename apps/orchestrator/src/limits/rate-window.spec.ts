import { currentWindow, decodeRateWindow, encodeRateWindow, takeFromWindow, windowIndex, windowStart } from './rate-window';

describe('rate windows (fixed windows shared through one key per task type)', () => {
  it('given a window length, when times are mapped, then each falls in floor(now / length) and windows start on multiples of it', () => {
    expect(windowIndex(0, 1_000)).toBe(0);
    expect(windowIndex(999, 1_000)).toBe(0);
    expect(windowIndex(1_000, 1_000)).toBe(1);
    expect(windowIndex(59_999, 60_000)).toBe(0);
    expect(windowStart(3, 1_000)).toBe(3_000);
  });

  it('given nothing stored, when requests arrive, then they are granted in order up to the limit and the rest retry at the next window', () => {
    const take = takeFromWindow(undefined, 1_250, 1_000, [2, 2, 2]);

    expect(take).toEqual({ granted: 2, next: { windowMs: 1_000, window: 1, count: 2 }, retryAt: 2_000 });
  });

  it('given a full window, when more requests arrive in it, then none is granted and nothing is written', () => {
    const stored = { windowMs: 1_000, window: 1, count: 5 };

    expect(takeFromWindow(stored, 1_999, 1_000, [5])).toEqual({ granted: 0, retryAt: 2_000 });
  });

  it('given a full window that has passed, when a request arrives, then the count starts again in the new window', () => {
    const stored = { windowMs: 1_000, window: 1, count: 5 };

    expect(takeFromWindow(stored, 2_000, 1_000, [5])).toEqual({ granted: 1, next: { windowMs: 1_000, window: 2, count: 1 } });
  });

  it('given a window stored by a replica whose clock is ahead, when this replica takes, then it counts against that window', () => {
    const ahead = { windowMs: 1_000, window: 3, count: 4 };

    expect(currentWindow(ahead, 2_990, 1_000)).toBe(ahead);
    expect(takeFromWindow(ahead, 2_990, 1_000, [5, 5])).toEqual({ granted: 1, next: { windowMs: 1_000, window: 3, count: 5 }, retryAt: 4_000 });
  });

  it('given a window stored under another window length (the definition changed), when a request arrives, then a fresh window of the new length starts', () => {
    expect(currentWindow({ windowMs: 60_000, window: 0, count: 9 }, 1_500, 1_000)).toEqual({ windowMs: 1_000, window: 1, count: 0 });
  });

  it('given requests with different limits (definition versions), when the window fills, then the first that does not fit stops the rest', () => {
    expect(takeFromWindow({ windowMs: 1_000, window: 0, count: 2 }, 10, 1_000, [5, 3, 5]).granted).toBe(1);
  });

  it('given stored text, when decoded, then a valid value round-trips and anything else reads as no value', () => {
    const value = { windowMs: 1_000, window: 7, count: 3 };

    expect(decodeRateWindow(encodeRateWindow(value))).toEqual(value);
    expect(decodeRateWindow(undefined)).toBeUndefined();
    expect(decodeRateWindow('not json')).toBeUndefined();
    expect(decodeRateWindow('{"count":"3"}')).toBeUndefined();
  });
});
