import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { DeadLetterPublisher, JetStreamPublisher, type ConsumerMetrics } from '@app/messaging';
import { BATON_CONFIG, RESULT_RETRY_INITIAL_MS, type BatonConfig } from '../config/baton-config';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { NATS_CONNECTION } from '../messaging/nats.providers';
import { EventStoreAvailability } from '../store/event-store-availability.service';
import { CoreHandlerSubscription } from './core-handler-subscription';
import { parseEvent, type EventHandlerDef } from './event-handler-def';
import { EventHandlerProcessor } from './event-handler-processor.service';
import { EventHandlerRegistry } from './event-handler-registry.service';
import type { HandlerSubscription, SubscriptionContext } from './handler-subscription';
import { JetStreamHandlerSubscription } from './jetstream-handler-subscription';
import { collectStaleDurables } from './stale-durables';

/** Events one replica handles at once, per handler. */
const HANDLER_CONCURRENCY = 32;
/** JetStream redelivers an event whose ack did not come within this (Conductor: 60 s). */
const HANDLER_ACK_WAIT_MS = 30_000;
/** Deliveries (JetStream) or tries (core NATS) of an event before it is dead-lettered. */
const HANDLER_MAX_DELIVER = 10;
const CORE_ATTEMPTS = 5;
/** How often a `jsm:` handler looks for a stream that holds its subject while there is none. */
const STREAM_RETRY_MS = 2_000;
const STOP_TIMEOUT_MS = 15_000;

/** A running subscription and the event string it was made for. */
interface Running {
  readonly event: string;
  readonly subscription: HandlerSubscription;
}

/**
 * Keeps one subscription per active event handler on this replica, following the registry:
 * handlers added, activated, moved to another `event`, deactivated or removed (through this
 * replica's API or another's) start and stop their subscriptions within a catalog poll.
 * A handler that stops being active loses its durable consumer too, so activating it again does
 * not replay what was published meanwhile. While the event store is unreachable the JetStream
 * subscriptions pause, so events wait in their streams instead of using up their deliveries.
 */
@Injectable()
export class EventHandlerRuntime implements BeforeApplicationShutdown {
  private readonly logger = new Logger('EventHandlers');
  private readonly running = new Map<string, Running>();
  private readonly deadLetter: DeadLetterPublisher;
  private readonly consumerMetrics: ConsumerMetrics;
  private reconciling: Promise<void> = Promise.resolve();
  private stopping = false;
  private storeAvailable = true;

  constructor(
    private readonly registry: EventHandlerRegistry,
    private readonly processor: EventHandlerProcessor,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(JetStreamPublisher) publisher: JetStreamPublisher,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
    private readonly metrics: OrchestratorMetrics,
    private readonly storeAvailability: EventStoreAvailability,
  ) {
    this.deadLetter = new DeadLetterPublisher(publisher);
    this.consumerMetrics = { count: (outcome, subject) => metrics.inbound.inc({ subject, outcome }) };
  }

  /**
   * Loads the handlers, deletes durables a crashed replica left behind for handlers that are no
   * longer active, and subscribes every active handler (a `jsm:` one without a stream waits in
   * the background).
   */
  async start(): Promise<void> {
    await this.registry.start();
    this.registry.onChange(() => void this.reconcile());
    this.storeAvailability.onChange((available) => {
      this.storeAvailable = available;
      for (const { subscription } of this.running.values()) {
        if (available) subscription.resume();
        else subscription.pause();
      }
    });
    await collectStaleDurables(this.connection, { current: this.registry.list(), removed: this.registry.listRemoved() }, this.logger).catch((error: unknown) =>
      this.logger.warn(`looking for durables of inactive event handlers failed: ${String(error)}`),
    );
    await this.reconcile();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.reconciling;
    await Promise.all([...this.running.values()].map(({ subscription }) => subscription.stop({ forget: false })));
    this.running.clear();
  }

  /** Brings the subscriptions in line with the registry; calls are queued, never concurrent. */
  private reconcile(): Promise<void> {
    this.reconciling = this.reconciling
      .then(() => this.applyRegistry())
      .catch((error: unknown) => this.logger.error(`updating event handler subscriptions failed: ${String(error)}`));
    return this.reconciling;
  }

  private async applyRegistry(): Promise<void> {
    if (this.stopping) return;
    const wanted = new Map(this.registry.list().filter((handler) => handler.active).map((handler) => [handler.name, handler]));
    for (const [name, { event, subscription }] of this.running) {
      if (wanted.get(name)?.event === event) continue;
      this.running.delete(name);
      this.metrics.eventHandlerSubscribed.remove({ handler: name, provider: subscription.provider });
      await subscription.stop({ forget: true });
      this.logger.log(`event handler ${name}: unsubscribed from ${event}`);
    }
    for (const handler of wanted.values()) {
      if (!this.running.has(handler.name)) this.subscribe(handler);
    }
  }

  private subscribe(handler: EventHandlerDef): void {
    const parsed = parseEvent(handler.event);
    if (!parsed) return; // refused at registration; a handler stored by a newer Baton, say
    if (parsed.provider === 'conductor') return; // no subscription: EVENT tasks deliver to it in process (ConductorQueue)
    const { name, event } = handler;
    const context: SubscriptionContext = {
      name,
      subject: parsed.subject,
      logger: this.logger,
      process: (payload, message) => this.processor.process(name, event, payload, message),
      onState: (state) => this.metrics.eventHandlerSubscribed.set({ handler: name, provider: parsed.provider }, state === 'subscribed' ? 1 : 0),
    };
    const retryBackoff = { initialMs: RESULT_RETRY_INITIAL_MS, maxMs: this.config.resultRetryMaxMs };
    const subscription: HandlerSubscription =
      parsed.provider === 'jsm'
        ? new JetStreamHandlerSubscription(this.connection, context, {
            concurrency: HANDLER_CONCURRENCY,
            ackWaitMs: HANDLER_ACK_WAIT_MS,
            maxDeliver: HANDLER_MAX_DELIVER,
            maxPayloadBytes: this.config.maxPayloadBytes,
            jsonLimits: this.config.jsonLimits,
            retryBackoff,
            streamRetryMs: STREAM_RETRY_MS,
            deadLetter: this.deadLetter,
            metrics: this.consumerMetrics,
          })
        : new CoreHandlerSubscription(this.connection, context, {
            concurrency: HANDLER_CONCURRENCY,
            maxPayloadBytes: this.config.maxPayloadBytes,
            jsonLimits: this.config.jsonLimits,
            attempts: CORE_ATTEMPTS,
            retryBackoff,
            stopTimeoutMs: STOP_TIMEOUT_MS,
            deadLetter: this.deadLetter,
          });
    this.running.set(name, { event, subscription });
    context.onState('waiting');
    if (!this.storeAvailable) subscription.pause();
    subscription.start();
  }
}
