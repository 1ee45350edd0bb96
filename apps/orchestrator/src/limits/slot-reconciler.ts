import { decodeSlots, executionIdOfTask } from './concurrency-slots';
import { parseLimitKey, type CasStore } from './cas-store';

/** Whether a task is still pending (scheduled or running) according to the event log. */
export type PendingCheck = (executionId: string, taskId: string) => Promise<boolean>;

/** Tasks checked at once. */
const PARALLEL_CHECKS = 8;

/**
 * Gives back slots that leaked: a replica that died after storing a task's end and before
 * freeing its slot leaves the task id in the slot set. Every pass reads the slot sets and frees
 * the slots of tasks the log says are ended (or that do not exist). To keep passes cheap on large
 * limits, a holder is checked only once it has been there for a whole pass (the first pass after
 * start checks every holder).
 */
export class SlotReconciler {
  private previous?: Set<string>;
  private running = false;

  constructor(
    private readonly store: CasStore,
    private readonly isPending: PendingCheck,
    private readonly free: (taskType: string, taskId: string) => void,
  ) {}

  /** One pass; resolves with the slots freed (0 when a pass is already running). */
  async run(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const seen = new Set<string>();
      const toCheck: { taskType: string; taskId: string }[] = [];
      for (const key of await this.store.keys('concurrency.')) {
        const taskType = parseLimitKey(key)?.taskType;
        if (taskType === undefined) continue;
        for (const taskId of decodeSlots((await this.store.get(key))?.value)) {
          seen.add(taskId);
          if (!this.previous || this.previous.has(taskId)) toCheck.push({ taskType, taskId });
        }
      }
      this.previous = seen;
      let freed = 0;
      for (let i = 0; i < toCheck.length; i += PARALLEL_CHECKS) {
        const batch = toCheck.slice(i, i + PARALLEL_CHECKS);
        const pending = await Promise.all(batch.map(({ taskId }) => this.isPending(executionIdOfTask(taskId), taskId)));
        batch.forEach(({ taskType, taskId }, index) => {
          if (pending[index]) return;
          this.free(taskType, taskId);
          freed += 1;
        });
      }
      return freed;
    } finally {
      this.running = false;
    }
  }
}
