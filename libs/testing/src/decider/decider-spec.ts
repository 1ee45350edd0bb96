import {
  decide,
  initialState,
  replay,
  type DecideContext,
  type Decision,
  type ExecutionCommand,
  type ExecutionEvent,
  type ExecutionState,
  type IgnoredCode,
} from '@app/domain';

/** A partial event for matching: the type and any subset of its data. */
export type EventShape = { type: ExecutionEvent['type']; data?: Record<string, unknown> };

/**
 * Given/when/then for the execution decider (Emmett's DeciderSpecification shape).
 *
 * @example
 * executionSpec('e1')
 *   .given([started(def)])
 *   .when({ type: 'ApplyTaskResult', taskId: 'e1-1', status: 'COMPLETED', output: {} }, { now: 2000 })
 *   .thenEventTypes(['TaskCompleted', 'TaskScheduled']);
 */
export function executionSpec(executionId = 'exec-1') {
  return {
    given(history: readonly ExecutionEvent[]) {
      // replay folds like evolve event by event, but copies the state once (long histories stay linear).
      const state = replay(history, initialState(executionId));
      return {
        state,
        when(command: ExecutionCommand, context: DecideContext = { now: 1_000 }) {
          const decision = decide(command, state, context);
          const after = replay(decision.events, state);
          return new Then(decision, after);
        },
      };
    },
  };
}

/** Assertions on a decision. */
export class Then {
  constructor(readonly decision: Decision, readonly state: ExecutionState) {}

  /** The decision emitted exactly these events. */
  then(expected: readonly ExecutionEvent[]): this {
    expect(this.decision.ignored).toBeUndefined();
    expect(this.decision.events).toEqual(expected);
    return this;
  }

  /** The decision emitted events of exactly these types, in order. */
  thenEventTypes(types: readonly ExecutionEvent['type'][]): this {
    expect(this.decision.ignored).toBeUndefined();
    expect(this.decision.events.map((event) => event.type)).toEqual(types);
    return this;
  }

  /** The decision emitted events matching these shapes (each a subset of the actual event), in order. */
  thenMatches(shapes: readonly EventShape[]): this {
    expect(this.decision.ignored).toBeUndefined();
    expect(this.decision.events).toHaveLength(shapes.length);
    shapes.forEach((shape, i) => expect(this.decision.events[i]).toMatchObject(shape));
    return this;
  }

  /** The command changed nothing, for this reason. */
  thenIgnored(code: IgnoredCode, reasonContains?: string): this {
    expect(this.decision.events).toEqual([]);
    expect(this.decision.ignored?.code).toBe(code);
    if (reasonContains) expect(this.decision.ignored?.reason).toContain(reasonContains);
    return this;
  }

  /** Inspect the state after the new events. */
  andState(check: (state: ExecutionState) => void): this {
    check(this.state);
    return this;
  }
}

/** Runs commands one after another from an initial history and returns every event, for multi-step scenarios. */
export function runCommands(executionId: string, commands: readonly { command: ExecutionCommand; now: number }[], history: readonly ExecutionEvent[] = []): { events: ExecutionEvent[]; state: ExecutionState; decisions: Decision[] } {
  let state = replay(history, initialState(executionId));
  const events: ExecutionEvent[] = [...history];
  const decisions: Decision[] = [];
  for (const { command, now } of commands) {
    const decision = decide(command, state, { now });
    decisions.push(decision);
    state = replay(decision.events, state);
    for (const event of decision.events) events.push(event);
  }
  return { events, state, decisions };
}
