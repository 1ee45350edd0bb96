import type { JetStreamConsumerOptions } from './jetstream-consumer';

/**
 * The extras of an `@EventPattern` handled by {@link JetStreamTransport}: the pattern is the
 * consumer's filter subject, and these say which durable consumer serves it. A pattern without
 * `durable` is left alone (it may belong to another transport of a hybrid app).
 *
 * @example
 * ```ts
 * @EventPattern('baton.result.>', {
 *   stream: RESULTS_STREAM,
 *   durable: ORCHESTRATOR_RESULTS_DURABLE,
 *   dto: TaskResultMessage,
 *   concurrency: 128,
 * } satisfies JetStreamPatternExtras)
 * onResult(@Payload() result: TaskResultMessage) { … }
 * ```
 */
export type JetStreamPatternExtras = Omit<JetStreamConsumerOptions, 'stream' | 'filterSubject' | 'deadLetter' | 'metrics' | 'logger'> & {
  /** Stream holding the subject; looked up from the pattern when omitted. */
  stream?: string;
};
