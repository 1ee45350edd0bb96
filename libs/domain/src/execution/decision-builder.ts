import type { Decision } from './decision';
import type { ExecutionEvent } from './execution-events';
import { isTerminalTask, type ExecutionState, type StartedExecution, type TaskState } from './execution-state';
import { applyTo, asState, draftOf, type ExecutionDraft } from './evolve';

/** Task types that wait on other tasks and are checked after each step. */
const JOIN_TYPES: ReadonlySet<string> = new Set(['JOIN', 'EXCLUSIVE_JOIN']);

/**
 * Collects the events of one decision and keeps a working state in step with them, so each
 * step of a cascade (a SWITCH choosing a case, a JOIN completing…) sees the effect of the
 * previous one. Pure: the caller's state object is never changed.
 */
export class DecisionBuilder {
  // Copied once, then changed in place by each event: the caller's state is never touched.
  private readonly working: ExecutionDraft;
  private readonly emitted: ExecutionEvent[] = [];
  /**
   * Ids of the JOINs that may still be waiting, in scheduling order; built on first use, then kept
   * in step with the events, so checking the JOINs after each task costs the number of JOINs,
   * not the length of the history.
   */
  private joins: Set<string> | undefined;

  constructor(state: ExecutionState, readonly now: number) {
    this.working = draftOf(state);
  }

  get state(): ExecutionState {
    return asState(this.working);
  }

  /** The working state of an execution this decision started or found started (the flow of tasks needs its definition). */
  get started(): StartedExecution {
    const state = asState(this.working);
    if (state.status === 'NOT_STARTED') throw new Error(`execution ${state.executionId} is not started: no flow to run`);
    return state;
  }

  get events(): readonly ExecutionEvent[] {
    return this.emitted;
  }

  /** The decision: the events emitted, with the state they lead to (already folded, so callers need not fold them again). */
  decision(): Decision {
    return { events: this.emitted, state: asState(this.working) };
  }

  emit(event: ExecutionEvent): void {
    this.emitted.push(event);
    applyTo(this.working, event);
    if (event.type === 'TaskScheduled' && JOIN_TYPES.has(event.data.taskType)) this.joins?.add(event.data.taskId);
    // A rerun or restart takes tasks back: the JOINs are listed again when next asked for.
    else if (event.type === 'ExecutionRerun' || event.type === 'ExecutionRestarted') this.joins = undefined;
  }

  /** Ids of the JOIN and EXCLUSIVE_JOIN tasks not yet ended, in scheduling order. */
  openJoins(): string[] {
    const { tasks, latestByRef } = this.working;
    // Only a latest attempt can be open (a JOIN is scheduled again — retry, next loop iteration —
    // only once its previous attempt ended), so the list is built from one task per reference
    // name, never from the whole history: a decision costs the same at the 10,000th iteration.
    this.joins ??= new Set(
      Object.values(latestByRef)
        .map((taskId) => tasks[taskId])
        .filter((task): task is TaskState => task !== undefined && JOIN_TYPES.has(task.taskType) && !isTerminalTask(task.status))
        .sort((a, b) => a.seq - b.seq)
        .map((task) => task.taskId),
    );
    const open: string[] = [];
    for (const taskId of this.joins) {
      const task = tasks[taskId];
      if (task && !isTerminalTask(task.status)) open.push(taskId);
      else this.joins.delete(taskId);
    }
    return open;
  }

  /** Id for the next task attempt; deterministic so a replayed decision yields the same ids. */
  nextTaskId(): string {
    return `${this.working.executionId}-${this.working.sequence + 1}`;
  }

  /** Id for the next timer, unique within the execution. */
  nextTimerId(): string {
    return `t${this.working.timerSequence + 1}`;
  }
}
