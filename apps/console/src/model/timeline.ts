import type { Task } from '../api/types';

/** One attempt on the Gantt chart: when it waited in its queue, when it ran. */
export interface TimelineRow {
  readonly taskId: string;
  readonly ref: string;
  readonly label: string;
  readonly type: string;
  readonly status: string;
  readonly scheduledAt: number;
  /** When a worker (or the orchestrator, for system tasks) started it; undefined while it waits. */
  readonly startedAt?: number;
  /** When it ended; undefined while it runs. */
  readonly endedAt?: number;
  /** Scheduled → started; for a task still waiting, up to `now`. */
  readonly queueWaitMs: number;
  /** Started → ended; for a task still running, up to `now`. */
  readonly durationMs?: number;
  /** The bars, as fractions of the chart's width: waiting, then running. */
  readonly wait: { readonly left: number; readonly width: number };
  readonly run?: { readonly left: number; readonly width: number };
}

export interface Timeline {
  readonly from: number;
  readonly to: number;
  readonly rows: readonly TimelineRow[];
  /** Gridlines: their time and position (fraction of the width). */
  readonly ticks: readonly { readonly at: number; readonly position: number }[];
}

const TICK_STEPS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

function label(task: Task): string {
  const iteration = task.outputData?.['iteration'];
  const retry = task.retryCount > 0 ? ` · attempt ${task.retryCount + 1}` : '';
  return `${task.referenceTaskName}${typeof iteration === 'number' && task.taskType !== 'DO_WHILE' ? ` #${iteration}` : ''}${retry}`;
}

/**
 * The Gantt chart of every task attempt, in scheduling order. Times are clamped into the chart's
 * span (the first scheduling to the last end, or `now` while something still runs), so a clock
 * skew between replicas never draws a bar outside it.
 */
export function buildTimeline(tasks: readonly Task[], now: number): Timeline {
  const ordered = [...tasks].sort((a, b) => a.seq - b.seq);
  if (ordered.length === 0) return { from: now, to: now, rows: [], ticks: [] };
  const from = Math.min(...ordered.map((task) => task.scheduledTime));
  const open = ordered.some((task) => !task.endTime);
  const to = Math.max(from + 1, open ? now : 0, ...ordered.map((task) => task.endTime || task.startTime || task.scheduledTime));
  const span = to - from;
  const at = (time: number) => Math.min(1, Math.max(0, (time - from) / span));
  const rows = ordered.map((task): TimelineRow => {
    const startedAt = task.startTime || undefined;
    const endedAt = task.endTime || undefined;
    const waitEnd = startedAt ?? endedAt ?? now;
    const waitLeft = at(task.scheduledTime);
    const row = {
      taskId: task.taskId,
      ref: task.referenceTaskName,
      label: label(task),
      type: task.taskType,
      status: task.status,
      scheduledAt: task.scheduledTime,
      queueWaitMs: Math.max(0, waitEnd - task.scheduledTime),
      wait: { left: waitLeft, width: Math.max(0, at(waitEnd) - waitLeft) },
      ...(startedAt !== undefined ? { startedAt } : {}),
      ...(endedAt !== undefined ? { endedAt } : {}),
    };
    if (startedAt === undefined) return row;
    const runEnd = endedAt ?? now;
    return { ...row, durationMs: Math.max(0, runEnd - startedAt), run: { left: at(startedAt), width: Math.max(0, at(runEnd) - at(startedAt)) } };
  });
  return { from, to, rows, ticks: ticksFor(from, to) };
}

/** Five to ten gridlines at a round step. */
export function ticksFor(from: number, to: number): { at: number; position: number }[] {
  const span = Math.max(1, to - from);
  const step = TICK_STEPS_MS.find((candidate) => span / candidate <= 10) ?? TICK_STEPS_MS.at(-1)!;
  const ticks: { at: number; position: number }[] = [];
  for (let offset = 0; offset <= span; offset += step) ticks.push({ at: from + offset, position: offset / span });
  return ticks;
}
