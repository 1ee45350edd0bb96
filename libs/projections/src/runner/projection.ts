import type { RecordedEvent } from '@app/event-store';
import type { Transaction } from 'kysely';
import type { ReadModelSchema } from '../read-model/read-model.schema';

/**
 * A read model fed from `$all`. The runner hands it the events of its streams in `$all` order, in
 * batches, inside the transaction that also moves its checkpoint: a batch is applied exactly once
 * or not at all.
 *
 * @example
 * const counter: Projection = {
 *   name: 'execution-counter',
 *   streamNamePrefixes: ['execution-'],
 *   applyBatch: async (trx, events) => { … one or a few statements for the whole batch … },
 * };
 */
export interface Projection {
  /** Stable: the checkpoint is stored under it. Renaming it rebuilds the read model from the start. */
  readonly name: string;
  /** Only events of streams whose name starts with one of these reach {@link applyBatch}. */
  readonly streamNamePrefixes: readonly string[];
  /** Applies events in order. Throwing rolls the batch back; the runner then resubscribes from the checkpoint. */
  applyBatch(trx: Transaction<ReadModelSchema>, events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Called with the same events once their batch's transaction has committed (never for a batch
   * that rolled back): for what must only follow stored rows, such as telling live clients to read
   * them again. Must not throw; what it throws is logged and ignored.
   */
  afterCommit?(events: readonly RecordedEvent[]): void;
}

/** What the runner logs through. Nest's `Logger` and console-like loggers fit as they are. */
export interface ProjectionLogger {
  log(message: string, ...context: unknown[]): void;
  warn(message: string, ...context: unknown[]): void;
  error(message: string, ...context: unknown[]): void;
}

/** Warnings and errors to stderr; a library stays quiet on stdout by default. */
export const consoleProjectionLogger: ProjectionLogger = {
  log: () => undefined,
  warn: (message, ...context) => console.warn(message, ...context),
  error: (message, ...context) => console.error(message, ...context),
};
