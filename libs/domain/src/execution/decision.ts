import type { ExecutionEvent } from './execution-events';
import type { ExecutionState } from './execution-state';

/** Time (and nothing else impure) the decider needs, passed in by the caller. */
export interface DecideContext {
  /** Epoch milliseconds. */
  readonly now: number;
  /** What one execution may hold (`ExecutionBounds`); none: unbounded (tests, the in-process flow engine). */
  readonly bounds?: { readonly maxTaskOutputBytes: number; readonly maxExecutionStateBytes: number };
}

/** Why a command changed nothing. The app maps codes to HTTP statuses or dead-letters. */
export type IgnoredCode =
  | 'UNKNOWN_EXECUTION'
  | 'ALREADY_STARTED'
  | 'UNKNOWN_TASK'
  | 'ATTEMPT_MISMATCH'
  | 'TASK_TYPE_MISMATCH'
  | 'DUPLICATE_RESULT'
  | 'TASK_NOT_PENDING'
  | 'TASK_NOT_EXTERNAL'
  | 'EXECUTION_ENDED'
  | 'TIMER_NOT_ARMED'
  | 'INVALID_EXECUTION_STATE';

export interface Ignored {
  readonly code: IgnoredCode;
  readonly reason: string;
}

/** The outcome of a command: the new events, or why there are none. */
export interface Decision {
  readonly events: readonly ExecutionEvent[];
  readonly ignored?: Ignored;
  /**
   * The state after `events`, when the decider already folded them (every decision that emits
   * events): callers use it instead of folding them again, which would copy the state once more.
   */
  readonly state?: ExecutionState;
}

/** A decision that changes nothing, and why. */
export const ignore = (code: IgnoredCode, reason: string): Decision => ({ events: [], ignored: { code, reason } });
