/** The time source of the orchestrator (a fixed or manual clock in tests). */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** DI token of {@link Clock}. */
export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => Date.now() };
