import type { Task } from '../api/types';
import { buildTimeline, ticksFor } from './timeline';

function task(seq: number, ref: string, times: { scheduled: number; start?: number; end?: number }, extra: Partial<Task> = {}): Task {
  return {
    taskId: `t-${seq}`, taskType: 'SIMPLE', taskDefName: ref, referenceTaskName: ref, status: times.end ? 'COMPLETED' : times.start ? 'IN_PROGRESS' : 'SCHEDULED',
    inputData: {}, outputData: {}, retryCount: 0, seq, scheduledTime: times.scheduled, startTime: times.start ?? 0, endTime: times.end ?? 0, updateTime: 0, retried: false, ...extra,
  };
}

describe('the task timeline', () => {
  it('given finished attempts, then each one waits from scheduling to start and runs to its end, on the span of the run', () => {
    const timeline = buildTimeline([task(2, 'ship', { scheduled: 1_500, start: 1_600, end: 2_000 }), task(1, 'charge', { scheduled: 1_000, start: 1_250, end: 1_500 })], 9_999);
    expect([timeline.from, timeline.to]).toEqual([1_000, 2_000]);
    expect(timeline.rows.map((row) => row.ref)).toEqual(['charge', 'ship']);
    expect(timeline.rows[0]).toMatchObject({ queueWaitMs: 250, durationMs: 250, wait: { left: 0, width: 0.25 }, run: { left: 0.25, width: 0.25 } });
    expect(timeline.rows[1]).toMatchObject({ queueWaitMs: 100, durationMs: 400, wait: { left: 0.5, width: expect.closeTo(0.1) }, run: { left: 0.6, width: expect.closeTo(0.4) } });
  });

  it('given an attempt still waiting and one still running, then their bars reach now', () => {
    const timeline = buildTimeline([task(1, 'a', { scheduled: 0, start: 100 }), task(2, 'b', { scheduled: 500 })], 1_000);
    expect(timeline.to).toBe(1_000);
    expect(timeline.rows[0]).toMatchObject({ durationMs: 900, run: { left: 0.1, width: 0.9 } });
    expect(timeline.rows[1]).toMatchObject({ queueWaitMs: 500, wait: { left: 0.5, width: 0.5 } });
    expect(timeline.rows[1]!.run).toBeUndefined();
  });

  it('given retries and loop iterations, then labels tell them apart', () => {
    const timeline = buildTimeline([task(1, 'step', { scheduled: 0, start: 1, end: 2 }, { outputData: { iteration: 3 } }), task(2, 'pay', { scheduled: 2, start: 3, end: 4 }, { retryCount: 2 })], 10);
    expect(timeline.rows.map((row) => row.label)).toEqual(['step #3', 'pay · attempt 3']);
  });

  it('given no attempts, then an empty chart', () => {
    expect(buildTimeline([], 5)).toEqual({ from: 5, to: 5, rows: [], ticks: [] });
  });

  it('given spans, then ten or fewer gridlines at a round step', () => {
    expect(ticksFor(0, 1_000).map((tick) => tick.at)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000]);
    expect(ticksFor(0, 95_000).map((tick) => tick.at)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000]);
  });
});
