import { canonicalJson, type EventMetadata } from '@app/event-store';
import { decide, initialState, isExecutionEventType, replay, type ExecutionEvent, type ExecutionState } from '@app/domain';
import { commandFor } from './command-for-event';
import { invariantViolations } from './history-invariants';
import { firstDifference } from './json-diff';

/** An event of an execution's stream as the check reads it. */
export interface HistoryEvent {
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: EventMetadata;
}

/** Why a history is not what the current code would have stored. */
export type ReplayDifferenceKind =
  /** No command of this version starts a decision with this event. */
  | 'unexplained-event'
  /** The current decider produces a different event here. */
  | 'event-differs'
  /** The current decider produces more events than the history stores for this decision. */
  | 'event-missing'
  /** The current decider ignores the command this event records. */
  | 'command-ignored'
  /** The current decider throws on the command this event records. */
  | 'decider-threw'
  /** The events of one decision name different causes. */
  | 'mixed-causes'
  /** An event type this version does not know (a newer Baton wrote it). */
  | 'unknown-event-type'
  /** The folded history breaks a rule every history keeps. */
  | 'invariant';

/** The first place a history departs from what the current code does. */
export interface ReplayDifference {
  readonly kind: ReplayDifferenceKind;
  /** The first revision that differs. */
  readonly revision: bigint;
  readonly message: string;
  /** What the current decider produces there. */
  readonly expected?: ExecutionEvent;
  /** What is stored there. */
  readonly stored?: { readonly type: string; readonly data: unknown };
  /** JSON path in the event of the first differing value (`type`, `data.output.x`…). */
  readonly path?: string;
}

/** The outcome of {@link checkHistory}. */
export interface HistoryCheck {
  readonly executionId: string;
  readonly events: number;
  /** Decisions replayed and found identical. */
  readonly decisions: number;
  readonly ok: boolean;
  readonly difference?: ReplayDifference;
  /** The state after folding every event (up to the first difference). */
  readonly state: ExecutionState;
}

/**
 * Proves that the current code would have produced a stored history: the history is cut into
 * decisions, the command behind each one is rebuilt from its first event ({@link commandFor}),
 * the events before it are folded with the current `evolve`, the current `decide` is run with the
 * decision's own time (`at`), and its events must equal the stored ones (type and data; event ids,
 * metadata and store timestamps are not the decider's). Events of one decision must share one
 * cause (`causationId`). The whole history, folded, must then keep the invariants. Stops at the
 * first difference, which names its revision.
 */
export function checkHistory(executionId: string, history: readonly HistoryEvent[]): HistoryCheck {
  let state = initialState(executionId);
  let decisions = 0;
  const done = (difference?: ReplayDifference): HistoryCheck => ({ executionId, events: history.length, decisions, ok: difference === undefined, ...(difference ? { difference } : {}), state });
  if (history.length === 0) return done({ kind: 'invariant', revision: 0n, message: 'the stream holds no event' });
  if (history[0]!.revision !== 0n) return done({ kind: 'invariant', revision: history[0]!.revision, message: `the stream starts at revision ${history[0]!.revision}, not 0` });

  let index = 0;
  while (index < history.length) {
    const stored = history[index]!;
    if (!isExecutionEventType(stored.type)) return done({ kind: 'unknown-event-type', revision: stored.revision, message: `event type ${stored.type} is not known to this version` });
    const [first, ...following] = knownEventsFrom(history, index);
    const command = commandFor(first!, state, following);
    if (!command) return done({ kind: 'unexplained-event', revision: stored.revision, message: `no command starts a decision with ${stored.type} here`, stored: { type: stored.type, data: stored.data } });
    const at = (stored.data as { at?: unknown } | null)?.at;
    if (typeof at !== 'number') return done({ kind: 'unexplained-event', revision: stored.revision, message: `${stored.type} has no decision time (data.at)` });

    let produced: readonly ExecutionEvent[];
    try {
      const decision = decide(command, state, { now: at });
      if (decision.ignored) return done({ kind: 'command-ignored', revision: stored.revision, message: `the ${command.type} recorded by ${stored.type} is ignored now (${decision.ignored.code}: ${decision.ignored.reason})`, stored: { type: stored.type, data: stored.data } });
      produced = decision.events;
      if (produced.length === 0) return done({ kind: 'command-ignored', revision: stored.revision, message: `the ${command.type} recorded by ${stored.type} produces no event now`, stored: { type: stored.type, data: stored.data } });
    } catch (error) {
      return done({ kind: 'decider-threw', revision: stored.revision, message: `the decider throws on the ${command.type} recorded by ${stored.type}: ${error instanceof Error ? error.message : String(error)}` });
    }

    for (let k = 0; k < produced.length; k += 1) {
      const expected = produced[k]!;
      const actual = history[index + k];
      if (!actual) {
        return done({ kind: 'event-missing', revision: history[history.length - 1]!.revision + 1n, message: `the ${command.type} recorded at revision ${stored.revision} also produces ${expected.type}, which is not stored`, expected });
      }
      if (canonicalJson({ type: expected.type, data: expected.data }) !== canonicalJson({ type: actual.type, data: actual.data })) {
        const path = firstDifference({ type: expected.type, data: expected.data }, { type: actual.type, data: actual.data });
        return done({
          kind: 'event-differs',
          revision: actual.revision,
          message: `the ${command.type} recorded at revision ${stored.revision} produces ${expected.type} here, stored is ${actual.type}${path ? ` (first difference at ${path})` : ''}`,
          expected,
          stored: { type: actual.type, data: actual.data },
          ...(path ? { path } : {}),
        });
      }
      const cause = stored.metadata?.causationId;
      if (actual.metadata?.causationId !== cause) {
        return done({ kind: 'mixed-causes', revision: actual.revision, message: `one decision, two causes: ${String(cause)} at revision ${stored.revision}, ${String(actual.metadata?.causationId)} here` });
      }
    }
    state = replay(produced, state);
    decisions += 1;
    index += produced.length;
  }

  const violations = invariantViolations(state, executionId);
  if (violations.length > 0) return done({ kind: 'invariant', revision: history[history.length - 1]!.revision, message: violations.join('; ') });
  return done();
}

/**
 * The events from `index` on that share its cause, as domain events (a decision never reaches
 * past them), up to the first type this version does not know.
 */
function knownEventsFrom(history: readonly HistoryEvent[], index: number): ExecutionEvent[] {
  const cause = history[index]!.metadata?.causationId;
  const events: ExecutionEvent[] = [];
  for (let i = index; i < history.length; i += 1) {
    const event = history[i]!;
    if (!isExecutionEventType(event.type) || event.metadata?.causationId !== cause) break;
    events.push({ type: event.type, data: event.data } as ExecutionEvent);
  }
  return events;
}
