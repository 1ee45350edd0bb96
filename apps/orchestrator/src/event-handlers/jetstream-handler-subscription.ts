import { DeliverPolicy, type NatsConnection } from 'nats';
import { delay, type BackoffPolicy } from '@app/common';
import { isNotFound, JetStreamConsumer, type ConsumerMetrics, type DeadLetterPublisher, type JsonStructureLimits } from '@app/messaging';
import { handlerDurable } from './event-handler-def';
import { jetStreamEventMessage } from './event-message';
import type { HandlerSubscription, SubscriptionContext } from './handler-subscription';

/** Tunables of a handler's durable consumer. */
export interface JetStreamHandlerOptions {
  readonly concurrency: number;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  readonly maxPayloadBytes: number;
  /** Depth, keys and items an event body may hold (over them: dead letter `VALIDATION_FAILED`). */
  readonly jsonLimits?: JsonStructureLimits;
  readonly retryBackoff: BackoffPolicy;
  /** Pause between looks for a stream that holds the subject. */
  readonly streamRetryMs: number;
  readonly deadLetter: DeadLetterPublisher;
  readonly metrics?: ConsumerMetrics;
}

/**
 * A `jsm:<subject>` handler: a durable pull consumer `baton-handler-<name>` on whichever stream
 * holds the subject, shared by every replica. Baton never creates a stream over a user's
 * subject: while none holds it (or it spans several), the subscription logs why once and looks
 * again every `streamRetryMs`. A new durable starts with the events published after it (deliver
 * policy `new`); an existing one continues where it stopped, so events published while the
 * orchestrator was down are handled when it is back. Acks only after the handler's effects are
 * stored (see {@link JetStreamConsumer}).
 */
export class JetStreamHandlerSubscription implements HandlerSubscription {
  readonly provider = 'jsm' as const;
  private readonly stopController = new AbortController();
  private consumer: JetStreamConsumer | undefined;
  private stream: string | undefined;
  private running: Promise<void> | undefined;
  private paused = false;

  constructor(
    private readonly connection: NatsConnection,
    private readonly context: SubscriptionContext,
    private readonly options: JetStreamHandlerOptions,
  ) {}

  start(): void {
    this.running ??= this.bindWhenPossible();
  }

  async stop({ forget }: { forget: boolean }): Promise<void> {
    this.stopController.abort();
    // Stopping the consumer also ends a start() still waiting for its first bind.
    await this.consumer?.stop();
    await this.running;
    // A bind that was under way when stop() began has assigned its consumer by now.
    await this.consumer?.stop();
    if (forget) await this.deleteDurable();
  }

  pause(): void {
    this.paused = true;
    this.consumer?.pause();
  }

  resume(): void {
    this.paused = false;
    this.consumer?.resume();
  }

  private async bindWhenPossible(): Promise<void> {
    const { name, subject, logger } = this.context;
    let lastProblem: string | undefined;
    while (!this.stopController.signal.aborted) {
      let problem: string;
      try {
        const streams = await this.streamsHolding(subject);
        if (streams.length === 1) {
          if (await this.bind(streams[0]!)) return;
          problem = `stream ${streams[0]} went away while binding`;
        } else {
          problem =
            streams.length === 0
              ? `no JetStream stream holds subject ${subject}; create one (Baton does not create streams over your subjects). Looking again every ${this.options.streamRetryMs} ms`
              : `subject ${subject} spans streams ${streams.join(', ')}; a durable consumer reads one stream, so narrow the subject. Looking again every ${this.options.streamRetryMs} ms`;
        }
      } catch (error) {
        problem = `cannot bind yet: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (this.stopController.signal.aborted) return;
      if (problem !== lastProblem) logger.warn(`event handler ${name} (jsm:${subject}): ${problem}`);
      lastProblem = problem;
      this.context.onState('waiting');
      await delay(this.options.streamRetryMs, this.stopController.signal);
    }
  }

  /** True once consuming; false when the stream vanished in between (look again). */
  private async bind(stream: string): Promise<boolean> {
    const { name, subject, logger } = this.context;
    if (this.stopController.signal.aborted) return true;
    const consumer = new JetStreamConsumer(
      this.connection,
      {
        stream,
        durable: handlerDurable(name),
        filterSubject: subject,
        concurrency: this.options.concurrency,
        ackWaitMs: this.options.ackWaitMs,
        maxDeliver: this.options.maxDeliver,
        maxPayloadBytes: this.options.maxPayloadBytes,
        jsonLimits: this.options.jsonLimits,
        retryBackoff: this.options.retryBackoff,
        deliverPolicy: DeliverPolicy.New,
        deadLetter: this.options.deadLetter,
        metrics: this.options.metrics,
        logger,
      },
      async (payload, ctx) => {
        const message = jetStreamEventMessage({
          subject: ctx.subject,
          stream: ctx.stream,
          sequence: ctx.streamSequence,
          storedAtNanos: ctx.message.info.timestampNanos,
          msgId: ctx.msgId,
          deliveryCount: ctx.deliveryCount,
        });
        await this.context.process(payload, message);
      },
    );
    this.consumer = consumer;
    this.stream = stream;
    try {
      await consumer.start();
    } catch (error) {
      this.consumer = undefined;
      if (isNotFound(error)) return false;
      throw error;
    }
    if (this.stopController.signal.aborted) return true; // stop() stops it
    if (this.paused) consumer.pause();
    this.context.onState('subscribed');
    logger.log(`event handler ${name}: consuming jsm:${subject} from stream ${stream} (durable ${handlerDurable(name)})`);
    return true;
  }

  private async streamsHolding(subject: string): Promise<string[]> {
    const jsm = await this.connection.jetstreamManager({ checkAPI: false });
    const names: string[] = [];
    for await (const stream of jsm.streams.names(subject)) names.push(stream);
    return names;
  }

  private async deleteDurable(): Promise<void> {
    if (!this.stream) return;
    try {
      const jsm = await this.connection.jetstreamManager({ checkAPI: false });
      await jsm.consumers.delete(this.stream, handlerDurable(this.context.name));
    } catch (error) {
      // Another replica deleted it first, or the stream is gone with it.
      if (!isNotFound(error)) this.context.logger.warn(`event handler ${this.context.name}: could not delete durable ${handlerDurable(this.context.name)} on ${this.stream}: ${String(error)}`);
    }
  }
}
