import type { ExecutionEvent, ExecutionState, StartedExecution } from '@app/domain';
import type { Position } from '@app/event-store';
import type { ExecutionEffects } from '../executions/execution-effects.port';

/** One call of the effects: what one append stored. */
export interface RecordedAppend {
  readonly executionId: string;
  readonly status: ExecutionState['status'];
  readonly events: readonly ExecutionEvent[];
  readonly position: Position;
}

/** Effects that only remember what they were called with (one entry per successful append). */
export class RecordingEffects implements ExecutionEffects {
  readonly appends: RecordedAppend[] = [];

  afterAppend(state: StartedExecution, events: readonly ExecutionEvent[], position: Position): void {
    this.appends.push({ executionId: state.executionId, status: state.status, events: [...events], position });
  }

  /** The event types of each append of one execution, in order. */
  appendsOf(executionId: string): ExecutionEvent['type'][][] {
    return this.appends.filter((append) => append.executionId === executionId).map((append) => append.events.map((event) => event.type));
  }
}
