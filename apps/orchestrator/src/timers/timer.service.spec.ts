import type { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import type { ArmedTimer } from './armed-timers';
import { TimerService, type DurableTimerSource, type TimerCursor } from './timer.service';

const T0 = 1_000_000;

/** The execution index's timers table, in memory: what the loader pages through. */
class FakeTimerIndex implements DurableTimerSource {
  readonly timers: ArmedTimer[] = [];
  queries = 0;

  add(timer: ArmedTimer): void {
    this.timers.push(timer);
    this.timers.sort(compare);
  }

  /** The read model records a firing. */
  remove(timer: ArmedTimer): void {
    const index = this.timers.findIndex((t) => t.executionId === timer.executionId && t.timerId === timer.timerId);
    if (index >= 0) this.timers.splice(index, 1);
  }

  async dueBefore(epochMs: number, limit: number, after?: TimerCursor): Promise<ArmedTimer[]> {
    this.queries += 1;
    return this.timers.filter((timer) => timer.dueAt <= epochMs && (!after || compare(timer, after) > 0)).slice(0, limit);
  }
}

function compare(a: TimerCursor, b: TimerCursor): number {
  return a.dueAt - b.dueAt || a.executionId.localeCompare(b.executionId) || a.timerId.localeCompare(b.timerId);
}

const metrics = { timersInMemory: { set: () => undefined } } as unknown as OrchestratorMetrics;

function service(): TimerService {
  return new TimerService({ now: () => Date.now() }, metrics);
}

describe('TimerService', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('given 5,000 timers in the index over 10 s and pages of 200, when time passes, then each fires once, on time, with never more than the cap in memory', async () => {
    const index = new FakeTimerIndex();
    for (let i = 0; i < 5_000; i += 1) index.add({ executionId: `e${String(i).padStart(5, '0')}`, timerId: 't1', dueAt: T0 + 1_000 + Math.floor(i / 500) * 1_000 });
    const timers = service();
    const late: number[] = [];
    const fired = new Set<string>();
    let maxInMemory = 0;
    timers.start(async (timer) => {
      late.push(Date.now() - timer.dueAt);
      fired.add(timer.executionId);
      index.remove(timer);
    }, index, { windowMs: 2_000, loadLimit: 200, maxInMemory: 1_000, maxInFlight: 64, sweepMs: 5_000 });

    for (let ms = 0; ms < 13_000; ms += 10) {
      await jest.advanceTimersByTimeAsync(10);
      maxInMemory = Math.max(maxInMemory, timers.inMemory);
    }
    timers.onApplicationShutdown();

    expect(fired.size).toBe(5_000);
    expect(late).toHaveLength(5_000);
    expect(Math.max(...late)).toBeLessThanOrEqual(50);
    expect(maxInMemory).toBeLessThanOrEqual(1_000);
  });

  it('given a timer armed live inside the window and another of an ended task, when due, then only the first fires', async () => {
    const timers = service();
    const fired: string[] = [];
    timers.start(async (timer) => void fired.push(timer.timerId), new FakeTimerIndex());

    timers.arm({ executionId: 'e1', timerId: 'wait', dueAt: T0 + 500, taskId: 'e1-1' });
    timers.arm({ executionId: 'e1', timerId: 'deadline', dueAt: T0 + 700, taskId: 'e1-2' });
    timers.disarmTask('e1', 'e1-2');
    await jest.advanceTimersByTimeAsync(1_000);
    timers.onApplicationShutdown();

    expect(fired).toEqual(['wait']);
  });

  it('given a timer that fired while the read model still lists it, when the overdue sweep reads it again, then it does not fire twice', async () => {
    const index = new FakeTimerIndex();
    index.add({ executionId: 'e1', timerId: 't1', dueAt: T0 + 100 });
    const timers = service();
    let firings = 0;
    // The read model records the firing 1.5 s later: a sweep runs in between.
    timers.start(async (timer) => {
      firings += 1;
      setTimeout(() => index.remove(timer), 1_500);
    }, index, { sweepMs: 1_000 });

    await jest.advanceTimersByTimeAsync(3_500);
    timers.onApplicationShutdown();

    expect(firings).toBe(1);
    expect(index.queries).toBeGreaterThan(2);
  });

  it('given a timer another replica armed after this one paged past it, when that replica does not fire it, then it fires here within a second of being due', async () => {
    const index = new FakeTimerIndex();
    index.add({ executionId: 'e1', timerId: 'later', dueAt: T0 + 20_000 });
    const timers = service();
    const late = new Map<string, number>();
    timers.start(async (timer) => {
      late.set(timer.timerId, Date.now() - timer.dueAt);
      index.remove(timer);
    }, index);
    await jest.advanceTimersByTimeAsync(1_000); // the first page is loaded: its cursor is past 'later'

    // The other replica's timer reaches this replica's read model only; its replica is gone.
    index.add({ executionId: 'e2', timerId: 'foreign', dueAt: T0 + 5_000 });
    await jest.advanceTimersByTimeAsync(21_000);
    timers.onApplicationShutdown();

    expect(late.get('later')).toBeLessThanOrEqual(50);
    expect(late.get('foreign')).toBeGreaterThanOrEqual(0);
    expect(late.get('foreign')).toBeLessThanOrEqual(1_000);
  });

  it('given a handler that fails once, when the timer is due, then it is fired again a second later', async () => {
    const timers = service();
    let attempts = 0;
    timers.start(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('store unavailable');
    }, new FakeTimerIndex());

    timers.arm({ executionId: 'e1', timerId: 't1', dueAt: T0 + 100 });
    await jest.advanceTimersByTimeAsync(1_500);
    timers.onApplicationShutdown();

    expect(attempts).toBe(2);
  });

  it('given timers due far beyond the window, when armed live, then they are left to the index (bounded memory)', () => {
    const timers = service();
    timers.start(async () => undefined, new FakeTimerIndex(), { windowMs: 30_000 });

    timers.arm({ executionId: 'e1', timerId: 'soon', dueAt: T0 + 10_000 });
    timers.arm({ executionId: 'e1', timerId: 'in-an-hour', dueAt: T0 + 3_600_000 });
    timers.onApplicationShutdown();

    expect(timers.inMemory).toBe(1);
  });
});
