import type { MessagingLogger } from '@app/messaging';
import type { EventProvider } from './event-handler-def';
import type { EventMessage } from './event-message';

/** Whether a subscription receives events, or waits for something (a stream that holds its subject). */
export type SubscriptionState = 'waiting' | 'subscribed';

/** Runs one decoded event through the handler; resolves when its effects are stored. */
export type EventProcessor = (payload: unknown, message: EventMessage) => Promise<unknown>;

/** What a subscription is given by the runtime. */
export interface SubscriptionContext {
  /** The handler's name; also names its durable consumer or queue group. */
  readonly name: string;
  readonly subject: string;
  readonly process: EventProcessor;
  readonly onState: (state: SubscriptionState) => void;
  readonly logger: MessagingLogger;
}

/** One active handler's subscription on this replica. */
export interface HandlerSubscription {
  readonly provider: EventProvider;
  /** Starts receiving, or waiting for the chance to; never throws. */
  start(): void;
  /**
   * Stops receiving and waits (bounded) for events in progress. `forget` when the handler was
   * deactivated, removed or moved to another subject: its durable consumer goes too, so events
   * published meanwhile are not replayed when it is activated again.
   */
  stop(options: { forget: boolean }): Promise<void>;
  /** Stop fetching while the event store is unreachable (JetStream keeps the events). */
  pause(): void;
  resume(): void;
}
