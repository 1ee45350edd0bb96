import type { DurableConsumerSpec } from '../jetstream-setup';
import { TASKS_STREAM, taskSubject, workerDurable } from './subjects';

/** Defaults of a worker durable's settings (docs/wire-contract.md §3). */
export const WORKER_CONSUMER_DEFAULTS = {
  /** Tasks one worker process runs at once. */
  concurrency: 8,
  /** How long JetStream waits for a worker's ack (the SDK renews it while a task runs). */
  ackWaitMs: 60_000,
  /** Deliveries of one command before it is dead-lettered (counted by the client). */
  maxDeliveries: 10,
} as const;

/**
 * The durable `baton-worker-<taskType>` as the worker SDK creates it. Everything else that binds
 * the same durable (the orchestrator's HTTP polling, for Conductor's SDK workers) creates it with
 * these settings when it is missing, so whichever starts first leaves the same consumer behind.
 *
 * @example
 * await ensureDurableConsumer(jsm, workerConsumerSpec('ship_order', { concurrency: 16 }));
 */
export function workerConsumerSpec(taskType: string, options: { concurrency?: number; ackWaitMs?: number } = {}): DurableConsumerSpec {
  const concurrency = options.concurrency ?? WORKER_CONSUMER_DEFAULTS.concurrency;
  return {
    stream: TASKS_STREAM,
    durable: workerDurable(taskType),
    filterSubject: taskSubject(taskType),
    ackWaitMs: options.ackWaitMs ?? WORKER_CONSUMER_DEFAULTS.ackWaitMs,
    // The delivery cap is the client's (maxDeliveries): see JetStreamConsumer.
    maxDeliver: -1,
    maxAckPending: Math.max(concurrency * 4, 64),
  };
}
