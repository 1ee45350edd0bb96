import { SingleBar } from 'cli-progress';
import type { CliOutput } from './cli-output';

/** A long job's progress on stderr: a bar with counts and rate on a terminal, a line every 2 s elsewhere, nothing with `--json`. */
export interface Progress {
  /** `share` 0–1 of the work; `done` what was counted so far (events, executions). */
  update(share: number, done: number): void;
  stop(): void;
}

/** Starts a progress bar for `what` (e.g. "events"), measuring the rate from now. */
export function startProgress(output: CliOutput, label: string, what: string): Progress {
  if (output.json) return { update: () => undefined, stop: () => undefined };
  const started = performance.now();
  const bar = new SingleBar({
    stream: output.streams.stderr,
    format: `${label} [{bar}] {percentage}% | {done} ${what} | {rate} ${what}/s`,
    barsize: 30,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2_000,
    etaBuffer: 50,
  });
  bar.start(1_000, 0, { done: 0, rate: 0 });
  return {
    update(share, done) {
      const seconds = (performance.now() - started) / 1000;
      bar.update(Math.round(share * 1_000), { done, rate: seconds > 0 ? Math.round(done / seconds) : 0 });
    },
    stop() {
      bar.stop();
    },
  };
}

/** Events per second over a run that took `ms`. */
export const ratePerSecond = (count: number, ms: number): number => (ms > 0 ? Math.round((count * 1000) / ms) : count);

/** Runs `work` with a progress bar, stopped whatever happens. */
export async function withProgress<T>(context: { output: CliOutput }, label: string, what: string, work: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = startProgress(context.output, label, what);
  try {
    return await work(progress);
  } finally {
    progress.stop();
  }
}
