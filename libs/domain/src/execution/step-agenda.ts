/** One step of a decision's control flow. */
export type Step = () => void;

/**
 * Runs the steps of one decision with a constant stack. A step that calls for further steps
 * (schedule the next task, continue after a success, check the JOINs…) queues them; they run
 * once it returns, in the order queued, each together with everything it queues before the
 * next one starts — exactly the order plain recursion gives, so the events are the same, but a
 * chain of system tasks (10,000 DO_WHILE iterations of INLINE, SET_VARIABLE and SWITCH tasks)
 * no longer grows the call stack with its length.
 */
export class StepAgenda {
  /** Steps still to run, the next one last. */
  private readonly stack: Step[] = [];
  /** Steps queued by the step running now; undefined when no step runs. */
  private queued: Step[] | undefined;

  /** Runs `step`: at once (to the end of everything it leads to) when called from outside, else after the step running now. */
  run(step: Step): void {
    if (this.queued) {
      this.queued.push(step);
      return;
    }
    this.stack.push(step);
    try {
      for (let next = this.stack.pop(); next; next = this.stack.pop()) {
        const queued: Step[] = [];
        this.queued = queued;
        next();
        this.queued = undefined;
        for (let i = queued.length - 1; i >= 0; i -= 1) this.stack.push(queued[i]!);
      }
    } finally {
      // A step that throws abandons the decision: nothing of it may run in a later one.
      this.stack.length = 0;
      this.queued = undefined;
    }
  }
}
