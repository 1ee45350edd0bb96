import type { ClassConstructor } from 'class-transformer';
import type { ConsumerMessages, DeliverPolicy, JetStreamClient, JsMsg, NatsConnection } from 'nats';
import { DlqCodes } from './contract/subjects';
import { cappedBackoff, delay, settlesWithin, type BackoffPolicy } from '@app/common';
import { ConcurrencyLimit } from './concurrency-limit';
import type { ConsumerCounter, ConsumerMetrics } from './consumer-metrics';
import { DeadLetterPublisher, type DeadLetterReason } from './dead-letter';
import { decideOnFailure, settleHandlerResult, type HandlerReturn } from './handler-outcome';
import { ensureDurableConsumer, isNotFound } from './jetstream-setup';
import { JetStreamPublisher } from './jetstream-publisher';
import { DEFAULT_MAX_PAYLOAD_BYTES, decodeJson, isDecodeFailure, validateBody, type JsonStructureLimits } from './message-decoder';
import { JetStreamMessageContext } from './message.context';
import { safeAck, safeNak } from './msg-settlement';
import { consoleMessagingLogger, errorMessage, type MessagingLogger } from './messaging-logger';

/** Handles one decoded message; resolve (or complete) to ack, throw (or error) to retry or dead-letter. */
export type JetStreamMessageHandler<T> = (data: T, context: JetStreamMessageContext) => HandlerReturn;

/** Configuration of one durable pull consumer. */
export interface JetStreamConsumerOptions<T = unknown> {
  stream: string;
  /** Durable name; every replica that uses it shares the work. */
  durable: string;
  /** One subject filter (nats-server 2.9 allows one); may use wildcards. */
  filterSubject: string;
  /** class-validator DTO the JSON body must satisfy; the handler receives an instance of it. */
  dto?: ClassConstructor<T & object>;
  /** Messages handled at once by this process. Default 64. */
  concurrency?: number;
  /** How long the server waits for an ack before redelivering. Default 30 s. */
  ackWaitMs?: number;
  /**
   * Deliveries before a message is dead-lettered. Enforced here rather than by the server, so a
   * message whose last attempt crashed the process is dead-lettered on its next delivery instead
   * of staying unacked in a work-queue stream forever. Default 10.
   */
  maxDeliver?: number;
  /** Unacked messages the server lets out across all replicas. Default max(1000, 4 × concurrency). */
  maxAckPending?: number;
  /** Larger bodies are dead-lettered without being parsed. Default 256 KiB. */
  maxPayloadBytes?: number;
  /** Bodies nested deeper, or with more keys or items, are dead-lettered `VALIDATION_FAILED`. Default `DEFAULT_JSON_LIMITS` of `@app/common`. */
  jsonLimits?: JsonStructureLimits;
  /** Redelivery delay after a retryable failure, by delivery count. Default 1 s doubling to 60 s. */
  retryBackoff?: BackoffPolicy;
  /** Where a new durable starts. Default: all messages in the stream. */
  deliverPolicy?: DeliverPolicy;
  /** Consumer replicas in a cluster; default: the stream's. */
  replicas?: number;
  /** Only bind to an existing durable; never create or update it. */
  bindOnly?: boolean;
  /** How long one pull request waits on the server; also paces failure detection. Default 10 s. */
  pullExpiresMs?: number;
  /** Pause between attempts to bind again after the consumer or server went away. */
  rebindBackoff?: BackoffPolicy;
  /** Shared dead-letter publisher; by default one is built on the same connection. */
  deadLetter?: DeadLetterPublisher;
  metrics?: ConsumerMetrics;
  logger?: MessagingLogger;
}

/**
 * A durable JetStream pull consumer that processes many messages at once and acks each one only
 * after its handler has finished. Retryable failures are redelivered with backoff; undecodable,
 * invalid, oversize, non-retryable or out-of-attempts messages go to `baton.dlq.<subject>` and are
 * terminated (if the dead-letter publish fails, the message is nak'ed instead, never dropped).
 * Survives consumer deletion and server restarts by binding again.
 *
 * @example
 * const consumer = new JetStreamConsumer(nc, {
 *   stream: RESULTS_STREAM, durable: ORCHESTRATOR_RESULTS_DURABLE, filterSubject: 'baton.result.>',
 *   dto: TaskResultMessage, concurrency: 128,
 * }, async (result, ctx) => { await applyResult(result, ctx.msgId); });
 * await consumer.start();
 * // … on shutdown
 * await consumer.stop();
 */
export class JetStreamConsumer<T = unknown> {
  private readonly js: JetStreamClient;
  private readonly limit: ConcurrencyLimit;
  private readonly maxDeliver: number;
  private readonly maxPayloadBytes: number;
  private readonly retryBackoff: BackoffPolicy;
  private readonly deadLetter: DeadLetterPublisher;
  private readonly logger: MessagingLogger;
  private readonly stopController = new AbortController();
  /** Resolves when {@link stop} is called. */
  private readonly stopped = new Promise<void>((resolve) => this.stopController.signal.addEventListener('abort', () => resolve(), { once: true }));
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** Set while paused: resolves on {@link resume}. */
  private pausedUntil: Promise<void> | undefined;
  private endPause: (() => void) | undefined;

  constructor(
    private readonly connection: NatsConnection,
    private readonly options: JetStreamConsumerOptions<T>,
    private readonly handler: JetStreamMessageHandler<T>,
  ) {
    this.js = connection.jetstream();
    this.limit = new ConcurrencyLimit(options.concurrency ?? 64);
    this.maxDeliver = options.maxDeliver ?? 10;
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.retryBackoff = options.retryBackoff ?? { initialMs: 1_000, maxMs: 60_000 };
    this.deadLetter = options.deadLetter ?? new DeadLetterPublisher(new JetStreamPublisher(connection, { retryForMs: 10_000 }));
    this.logger = options.logger ?? consoleMessagingLogger;
  }

  get durable(): string {
    return this.options.durable;
  }

  /** Handlers running right now. */
  get inFlight(): number {
    return this.limit.inUse;
  }

  /**
   * Creates or updates the durable (unless `bindOnly`) and starts consuming. Resolves once
   * messages flow; rejects when the first bind fails for a reason retrying cannot fix (e.g. the
   * stream does not exist); transient failures are retried in the background.
   */
  start(): Promise<void> {
    if (this.loop) return Promise.reject(new Error(`consumer ${this.options.durable} already started`));
    return new Promise((resolve, reject) => {
      this.loop = this.run(resolve, reject);
    });
  }

  /** Paused by {@link pause} and not resumed yet. */
  get paused(): boolean {
    return this.pausedUntil !== undefined;
  }

  /**
   * Stops fetching until {@link resume}, for an outage of something every message needs (the
   * orchestrator's event store): messages then wait in the stream, instead of failing delivery
   * after delivery until they are dead-lettered as poison. Buffered messages are released for
   * redelivery; running handlers finish as usual. Does nothing when already paused or stopping.
   */
  pause(): void {
    if (this.pausedUntil || this.stopping) return;
    this.pausedUntil = new Promise<void>((resolve) => (this.endPause = resolve));
    this.messages?.stop();
    this.logger.warn(`consumer ${this.options.durable}: paused`);
  }

  /** Fetches again after {@link pause}. */
  resume(): void {
    const endPause = this.endPause;
    if (!endPause) return;
    this.pausedUntil = undefined;
    this.endPause = undefined;
    endPause();
    this.logger.log(`consumer ${this.options.durable}: resumed`);
  }

  /**
   * Stops fetching, releases buffered messages for redelivery, and waits up to `timeoutMs` for
   * running handlers to finish. Resolves true when everything finished in time; calling it again
   * waits again (e.g. after telling late handlers to give up).
   */
  async stop(timeoutMs = 30_000): Promise<boolean> {
    if (!this.stopping) {
      this.stopping = true;
      this.stopController.abort();
      this.messages?.stop();
    }
    const drained = await settlesWithin(Promise.all([this.limit.idle(), this.loop]), timeoutMs);
    if (!drained) this.logger.warn(`consumer ${this.options.durable}: ${this.limit.inUse} handler(s) still running after ${timeoutMs} ms`);
    return drained;
  }

  private async run(started: () => void, failedToStart: (error: unknown) => void): Promise<void> {
    let isStarted = false;
    let failures = 0;
    while (!this.stopping) {
      if (this.pausedUntil) {
        await Promise.race([this.pausedUntil, this.stopped]);
        continue;
      }
      try {
        const messages = await this.bind();
        this.messages = messages;
        if (this.stopping || this.paused) messages.stop();
        if (!isStarted) {
          isStarted = true;
          started();
        } else {
          this.logger.log(`consumer ${this.options.durable}: bound again to ${this.options.stream}`);
        }
        failures = 0;
        void this.logStatus(messages);
        for await (const msg of messages) {
          if (this.stopping || this.paused) {
            safeNak(msg);
            continue;
          }
          const slot = this.limit.acquire();
          if (slot) await slot;
          if (this.stopping || this.paused) {
            this.limit.release();
            safeNak(msg);
            continue;
          }
          void this.process(msg);
        }
      } catch (error) {
        // A missing stream or durable at start is a configuration error, not a hiccup to wait out.
        if (!isStarted && ((error as { retryable?: unknown }).retryable === false || isNotFound(error))) {
          failedToStart(error);
          return;
        }
        if (!this.stopping) this.logger.warn(`consumer ${this.options.durable}: consuming stopped (${errorMessage(error)}); binding again`);
      } finally {
        this.messages = undefined;
      }
      if (this.stopping) break;
      // Paused on purpose: the top of the loop waits for resume(), no backoff owed.
      if (this.paused) continue;
      if (this.connection.isClosed()) {
        this.logger.error(`consumer ${this.options.durable}: the NATS connection was closed under it; consumer stopped`);
        break;
      }
      failures++;
      await delay(cappedBackoff(failures, this.options.rebindBackoff ?? { initialMs: 250, maxMs: 5_000 }), this.stopController.signal);
    }
    if (!isStarted) failedToStart(new Error(`consumer ${this.options.durable} stopped before it started`));
  }

  private async bind(): Promise<ConsumerMessages> {
    const { stream, durable, filterSubject } = this.options;
    if (!this.options.bindOnly) {
      const jsm = await this.connection.jetstreamManager({ checkAPI: false });
      const concurrency = this.limit.limit;
      await ensureDurableConsumer(jsm, {
        stream,
        durable,
        filterSubject,
        ackWaitMs: this.options.ackWaitMs ?? 30_000,
        maxDeliver: -1,
        maxAckPending: this.options.maxAckPending ?? Math.max(1_000, concurrency * 4),
        deliverPolicy: this.options.deliverPolicy,
        replicas: this.options.replicas,
      });
    }
    const consumer = await this.js.consumers.get(stream, durable);
    // A buffer the size of the concurrency keeps replicas fair and buffered messages fresh
    // relative to ack_wait; the iterator only pulls more once earlier ones were taken.
    return consumer.consume({
      max_messages: Math.max(this.limit.limit, 8),
      expires: this.options.pullExpiresMs ?? 10_000,
      abort_on_missing_resource: true,
    });
  }

  private async process(msg: JsMsg): Promise<void> {
    const subject = msg.subject;
    this.count('received', subject);
    try {
      const deliveryCount = msg.info.deliveryCount;
      if (deliveryCount > this.maxDeliver) {
        await this.deadLetterOrNak(msg, {
          code: DlqCodes.MaxDeliveriesExceeded,
          reason: `delivered ${deliveryCount} times, more than the ${this.maxDeliver} allowed; an earlier attempt crashed or timed out`,
        });
        return;
      }
      let data = decodeJson(msg.data, this.maxPayloadBytes, this.options.jsonLimits);
      if (isDecodeFailure(data)) return await this.deadLetterOrNak(msg, data);
      if (this.options.dto) {
        data = await validateBody(this.options.dto, data);
        if (isDecodeFailure(data)) return await this.deadLetterOrNak(msg, data);
      }
      try {
        const pending = settleHandlerResult(this.handler(data as T, new JetStreamMessageContext(msg, this.options.stream, this.options.durable)));
        if (pending) await pending;
      } catch (error) {
        await this.onHandlerFailure(msg, error, deliveryCount);
        return;
      }
      safeAck(msg);
      this.count('acked', subject);
    } catch (error) {
      // Our own machinery failed (not the handler): redeliver rather than lose the message.
      this.logger.error(`consumer ${this.options.durable}: unexpected failure on ${subject} #${msg.seq}: ${errorMessage(error)}`);
      safeNak(msg, this.retryBackoff.initialMs);
      this.count('nacked', subject);
    } finally {
      this.limit.release();
    }
  }

  private async onHandlerFailure(msg: JsMsg, error: unknown, deliveryCount: number): Promise<void> {
    const decision = decideOnFailure(error, { deliveryCount, maxDeliver: this.maxDeliver, backoff: this.retryBackoff });
    if (decision.action === 'dead-letter') {
      await this.deadLetterOrNak(msg, decision);
      return;
    }
    this.logger.debug?.(`consumer ${this.options.durable}: ${msg.subject} #${msg.seq} failed (delivery ${deliveryCount}), retry in ${decision.delayMs} ms: ${errorMessage(error)}`);
    safeNak(msg, decision.delayMs);
    this.count('nacked', msg.subject);
  }

  private async deadLetterOrNak(msg: JsMsg, why: DeadLetterReason): Promise<void> {
    const origin = { stream: this.options.stream, durable: this.options.durable };
    const outcome = await this.deadLetter.deadLetterOrNak(msg, why, origin, cappedBackoff(msg.info.deliveryCount, this.retryBackoff));
    if (!outcome.deadLettered) {
      this.logger.error(`consumer ${this.options.durable}: could not dead-letter ${msg.subject} #${msg.seq} (${why.code}); will retry: ${errorMessage(outcome.error)}`);
      this.count('nacked', msg.subject);
      return;
    }
    this.logger.warn(`consumer ${this.options.durable}: dead-lettered ${msg.subject} #${msg.seq}: ${why.code}: ${why.reason}`);
    this.count('dead_lettered', msg.subject);
  }

  private count(counter: ConsumerCounter, subject: string): void {
    this.options.metrics?.count(counter, subject, this.options.durable);
  }

  private async logStatus(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const status of await messages.status()) {
        if (status.type === 'debug' || status.type === 'discard' || status.type === 'next' || status.type === 'reset') continue;
        this.logger.warn(`consumer ${this.options.durable}: ${status.type} ${JSON.stringify(status.data)}`);
      }
    } catch {
      // The status feed ends with the messages; nothing to report.
    }
  }
}
