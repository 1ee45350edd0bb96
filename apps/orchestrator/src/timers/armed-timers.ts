import { MinHeap } from './min-heap';

/** A durable timer of an execution, as the timer service schedules it. */
export interface ArmedTimer {
  readonly executionId: string;
  readonly timerId: string;
  /** Epoch milliseconds. */
  readonly dueAt: number;
  /** The task it is about (deadlines, WAIT): it is dropped when that task ends. */
  readonly taskId?: string;
}

const keyOf = (executionId: string, id: string): string => `${executionId}\u0000${id}`;

function index(map: Map<string, Set<string>>, group: string, key: string): void {
  let keys = map.get(group);
  if (!keys) map.set(group, (keys = new Set()));
  keys.add(key);
}

/**
 * The timers held in memory: a min-heap by due time, with the armed keys indexed by execution
 * and by task so that ending one drops its timers without a scan (heap entries of dropped timers
 * are skipped when they surface). Timers that fired a moment ago are remembered for a while, so
 * that a copy loaded again from a read model that has not recorded the firing yet is not fired twice.
 */
export class ArmedTimers {
  private readonly heap = new MinHeap<ArmedTimer>((timer) => timer.dueAt);
  private readonly armed = new Set<string>();
  private readonly byExecution = new Map<string, Set<string>>();
  private readonly byTask = new Map<string, Set<string>>();
  private firedNow = new Set<string>();
  private firedBefore = new Set<string>();

  /** Timers armed. */
  get size(): number {
    return this.armed.size;
  }

  /** Due time of the earliest heap entry (it may be a dropped timer). */
  get nextDueAt(): number | undefined {
    return this.heap.peek()?.dueAt;
  }

  /** Arms a timer; false when it is armed already or fired a moment ago. */
  add(timer: ArmedTimer): boolean {
    const key = keyOf(timer.executionId, timer.timerId);
    if (this.armed.has(key) || this.firedNow.has(key) || this.firedBefore.has(key)) return false;
    this.armed.add(key);
    index(this.byExecution, timer.executionId, key);
    if (timer.taskId !== undefined) index(this.byTask, keyOf(timer.executionId, timer.taskId), key);
    this.heap.push(timer);
    return true;
  }

  /** The earliest armed timer due at or before `now`, taken out; undefined when none is due. */
  takeDue(now: number): ArmedTimer | undefined {
    while (this.heap.size > 0 && this.heap.peek()!.dueAt <= now) {
      const timer = this.heap.pop()!;
      const key = keyOf(timer.executionId, timer.timerId);
      this.unindex(this.byExecution, timer.executionId, key);
      if (timer.taskId !== undefined) this.unindex(this.byTask, keyOf(timer.executionId, timer.taskId), key);
      if (this.armed.delete(key)) {
        this.firedNow.add(key);
        return timer;
      }
    }
    return undefined;
  }

  /** A firing failed: the timer may be armed again. */
  forgetFired(timer: ArmedTimer): void {
    const key = keyOf(timer.executionId, timer.timerId);
    this.firedNow.delete(key);
    this.firedBefore.delete(key);
  }

  /** Forgets timers fired before the previous call (call it about as often as the read model catches up, with margin). */
  rotateFired(): void {
    this.firedBefore = this.firedNow;
    this.firedNow = new Set();
  }

  disarm(executionId: string, timerId: string): void {
    this.armed.delete(keyOf(executionId, timerId));
  }

  disarmExecution(executionId: string): void {
    for (const key of this.byExecution.get(executionId) ?? []) this.armed.delete(key);
    this.byExecution.delete(executionId);
  }

  disarmTask(executionId: string, taskId: string): void {
    const taskKey = keyOf(executionId, taskId);
    for (const key of this.byTask.get(taskKey) ?? []) this.armed.delete(key);
    this.byTask.delete(taskKey);
  }

  private unindex(map: Map<string, Set<string>>, group: string, key: string): void {
    const keys = map.get(group);
    if (!keys) return;
    keys.delete(key);
    if (keys.size === 0) map.delete(group);
  }
}
