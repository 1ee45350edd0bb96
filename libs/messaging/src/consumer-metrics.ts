/** Events a consumer counts, one call per message and outcome. */
export type ConsumerCounter =
  /** A message was handed to the consumer (before decoding). */
  | 'received'
  /** The handler succeeded and the message was acked. */
  | 'acked'
  /** The message was negatively acknowledged for redelivery (retryable failure, shutdown, failed dead-letter). */
  | 'nacked'
  /** The message was published to the dead-letter subject and terminated. */
  | 'dead_lettered';

/**
 * Counter hook the app wires to its metrics library; called synchronously on the hot path, so it
 * should only increment.
 *
 * @example
 * const counter = new Counter({ name: 'baton_messages_total', help: '…', labelNames: ['event', 'subject', 'durable'] });
 * const metrics: ConsumerMetrics = { count: (event, subject, durable) => counter.inc({ event, subject, durable }) };
 */
export interface ConsumerMetrics {
  count(counter: ConsumerCounter, subject: string, durable: string): void;
}
