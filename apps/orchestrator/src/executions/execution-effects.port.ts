import type { ExecutionEvent, StartedExecution } from '@app/domain';
import type { Position } from '@app/event-store';

/** DI token of {@link ExecutionEffects}. */
export const EXECUTION_EFFECTS = Symbol('EXECUTION_EFFECTS');

/**
 * What happens in the world after events are stored: task commands published, timers armed,
 * notifications sent. Called after every successful append; must not throw (it retries and
 * logs on its own; recovery covers a crash in between).
 */
export interface ExecutionEffects {
  afterAppend(state: StartedExecution, events: readonly ExecutionEvent[], position: Position): void;
}
