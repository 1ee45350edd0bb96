import { LRUCache } from 'lru-cache';
import type { TaskOutcome } from './task-outcome';

/** Outcomes remembered at most; older ones are forgotten first. */
const DEFAULT_MAX_ENTRIES = 10_000;
/** Bytes of outputs and reasons remembered at most (an outcome larger than 1 MiB is not kept). */
const MAX_BYTES = 16 * 1024 * 1024;
const MAX_ENTRY_BYTES = 1024 * 1024;

/**
 * The outcomes of the task commands this worker process ran last, by task id and attempt. A
 * command JetStream delivers again after it ran here (a NATS server that crashed can lose the
 * record of acknowledgements it had not written to disk yet, and deliver those commands as new)
 * is answered with the outcome it had, not run a second time; so is a copy that arrives while the
 * first still runs. Bounded in entries and bytes.
 */
export class FinishedTasks {
  private readonly outcomes: LRUCache<string, TaskOutcome> | undefined;
  /** Runs in progress: a copy of the command that arrives meanwhile waits for its outcome. */
  private readonly running = new Map<string, Promise<TaskOutcome>>();

  /** @param maxEntries how many outcomes to remember; 0 remembers none. */
  constructor(maxEntries = DEFAULT_MAX_ENTRIES) {
    this.outcomes =
      maxEntries > 0
        ? new LRUCache({ max: maxEntries, maxSize: MAX_BYTES, maxEntrySize: MAX_ENTRY_BYTES, sizeCalculation: (outcome) => 64 + sizeOf(outcome) })
        : undefined;
  }

  /**
   * Runs this attempt of the task, unless it ran here lately or is running here right now: then
   * `resend` gets the outcome it had (once the running one has finished). A run that failed to
   * report (it threw) is not remembered, so a copy waiting for it runs the task itself.
   */
  async runOnce(taskId: string, attempt: number, how: { run: () => Promise<TaskOutcome>; resend: (outcome: TaskOutcome) => Promise<void> }): Promise<void> {
    if (!this.outcomes) {
      await how.run();
      return;
    }
    const key = keyOf(taskId, attempt);
    const earlier = this.outcomes.get(key);
    if (earlier) return how.resend(earlier);
    const pending = this.running.get(key);
    if (pending) {
      // Checked and claimed without an await in between, so two copies never both run.
      const outcome = await pending.catch(() => undefined);
      return outcome ? how.resend(outcome) : this.runOnce(taskId, attempt, how);
    }
    const running = how.run();
    this.running.set(key, running);
    try {
      this.outcomes.set(key, await running);
    } finally {
      if (this.running.get(key) === running) this.running.delete(key);
    }
  }
}

const keyOf = (taskId: string, attempt: number): string => `${taskId}\u0000${attempt}`;

function sizeOf(outcome: TaskOutcome): number {
  return outcome.status === 'COMPLETED' ? JSON.stringify(outcome.output).length : outcome.reason.length;
}
