/** Visual tone of a status; each has a colour pair in styles.css (`--tone-<tone>-fg`, `-bg`). */
export type Tone = 'success' | 'danger' | 'warning' | 'running' | 'pending' | 'neutral' | 'skipped' | 'idle';

const TONES: Readonly<Record<string, Tone>> = {
  COMPLETED: 'success',
  COMPLETED_WITH_ERRORS: 'warning',
  FAILED: 'danger',
  FAILED_WITH_TERMINAL_ERROR: 'danger',
  TIMED_OUT: 'danger',
  TERMINATED: 'neutral',
  CANCELED: 'neutral',
  SKIPPED: 'skipped',
  RUNNING: 'running',
  IN_PROGRESS: 'running',
  SCHEDULED: 'pending',
  PAUSED: 'warning',
  NOT_RUN: 'idle',
  NOT_STARTED: 'idle',
};

/** The tone a task or execution status is drawn in; unknown statuses are neutral. */
export function toneOf(status: string | undefined): Tone {
  return (status !== undefined && TONES[status]) || 'neutral';
}

/** A status as people read it: `FAILED_WITH_TERMINAL_ERROR` → `Failed (terminal)`. */
export function statusLabel(status: string | undefined): string {
  if (!status) return 'Unknown';
  if (status === 'FAILED_WITH_TERMINAL_ERROR') return 'Failed (terminal)';
  if (status === 'NOT_RUN') return 'Not run';
  const words = status.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The execution has ended: no task runs any more. */
export function isEnded(status: string | undefined): boolean {
  return status === 'COMPLETED' || status === 'FAILED' || status === 'TERMINATED' || status === 'TIMED_OUT';
}

/** The task attempt has not finished. */
export function isPendingTask(status: string | undefined): boolean {
  return status === 'SCHEDULED' || status === 'IN_PROGRESS';
}
