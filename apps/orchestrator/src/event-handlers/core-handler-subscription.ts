import { randomUUID } from 'node:crypto';
import type { Msg, NatsConnection, Subscription } from 'nats';
import { delay, settlesWithin, type BackoffPolicy } from '@app/common';
import { decideOnFailure, decodeJson, errorMessage, Headers, isDecodeFailure, type DeadLetterPublisher, type DeadLetterReason, type JsonStructureLimits } from '@app/messaging';
import { handlerDurable } from './event-handler-def';
import { coreEventMessage, type EventMessage } from './event-message';
import type { HandlerSubscription, SubscriptionContext } from './handler-subscription';

/** Tunables of a core NATS handler. */
export interface CoreHandlerOptions {
  /** Events handled at once by this replica. */
  readonly concurrency: number;
  readonly maxPayloadBytes: number;
  /** Depth, keys and items an event body may hold (over them: dead letter `VALIDATION_FAILED`). */
  readonly jsonLimits?: JsonStructureLimits;
  /** Tries of an event that failed retryably, in this process (core NATS never redelivers). */
  readonly attempts: number;
  readonly retryBackoff: BackoffPolicy;
  /** How long stop() waits for events in progress. */
  readonly stopTimeoutMs: number;
  readonly deadLetter: DeadLetterPublisher;
}

/**
 * A `nats:<subject>` handler: a core subscription in queue group `baton-handler-<name>`, so each
 * event reaches one replica. Core NATS is at most once: an event published while no replica
 * listens is gone, and one in progress when its replica dies is lost. Within those limits nothing
 * is dropped quietly: an event that fails retryably is tried again here (`attempts`, with
 * backoff), and one that cannot be decoded or applied, runs out of tries, or is interrupted by
 * shutdown, is dead-lettered to `baton.dlq.<subject>` with the reason.
 */
export class CoreHandlerSubscription implements HandlerSubscription {
  readonly provider = 'nats' as const;
  private readonly stopController = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly connection: NatsConnection,
    private readonly context: SubscriptionContext,
    private readonly options: CoreHandlerOptions,
  ) {}

  start(): void {
    if (this.subscription) return;
    const { name, subject, logger } = this.context;
    this.subscription = this.connection.subscribe(subject, { queue: handlerDurable(name) });
    this.loop = this.receive(this.subscription);
    // Subscribed once the server has the interest: events published from then on reach a replica.
    this.connection.flush().then(
      () => {
        if (this.stopController.signal.aborted) return;
        this.context.onState('subscribed');
        logger.log(`event handler ${name}: listening on nats:${subject} (queue group ${handlerDurable(name)}, at most once)`);
      },
      (error: unknown) => logger.warn(`event handler ${name}: flushing the subscription to nats:${subject} failed: ${errorMessage(error)}`),
    );
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    this.subscription?.unsubscribe();
    await this.loop;
    if (!(await settlesWithin(Promise.all(this.inFlight), this.options.stopTimeoutMs))) {
      this.context.logger.warn(`event handler ${this.context.name}: ${this.inFlight.size} event(s) still in progress after ${this.options.stopTimeoutMs} ms`);
    }
  }

  /** Core messages cannot wait in a stream: while the store is away they fail, are retried, then dead-lettered. */
  pause(): void {}

  resume(): void {}

  private async receive(subscription: Subscription): Promise<void> {
    for await (const msg of subscription) {
      while (this.inFlight.size >= this.options.concurrency) await Promise.race(this.inFlight);
      const handling = this.handle(msg).finally(() => this.inFlight.delete(handling));
      this.inFlight.add(handling);
    }
  }

  private async handle(msg: Msg): Promise<void> {
    const message = coreEventMessage({ subject: msg.subject, msgId: msg.headers?.get(Headers.MsgId) || undefined }, randomUUID());
    const payload = decodeJson(msg.data, this.options.maxPayloadBytes, this.options.jsonLimits);
    if (isDecodeFailure(payload)) return this.deadLetter(msg, payload, message, 1);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.context.process(payload, message);
        return;
      } catch (error) {
        const decision = decideOnFailure(error, { deliveryCount: attempt, maxDeliver: this.options.attempts, backoff: this.options.retryBackoff });
        if (decision.action === 'dead-letter') return this.deadLetter(msg, decision, message, attempt);
        await delay(decision.delayMs, this.stopController.signal);
        if (this.stopController.signal.aborted) {
          return this.deadLetter(msg, { code: 'INTERRUPTED', reason: `the orchestrator stopped while retrying (last error: ${errorMessage(error)})` }, message, attempt);
        }
      }
    }
  }

  private async deadLetter(msg: Msg, why: DeadLetterReason, message: EventMessage, attempts: number): Promise<void> {
    const { name, logger } = this.context;
    try {
      await this.options.deadLetter.publishCore(msg, why, { consumer: handlerDurable(name), attempts, key: message.key });
      logger.warn(`event handler ${name}: dead-lettered ${msg.subject} (${why.code}): ${why.reason}`);
    } catch (error) {
      // No stream to leave it in: the log is the last place this event exists.
      logger.error(`event handler ${name}: could not dead-letter ${msg.subject} (${why.code}: ${why.reason}): ${errorMessage(error)}; body: ${new TextDecoder().decode(msg.data.slice(0, 4096))}`);
    }
  }
}
