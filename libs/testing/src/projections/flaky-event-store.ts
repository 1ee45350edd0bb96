import { type EventStore, EventStoreUnavailableError, type SubscribeToAllOptions, type Subscription, type SubscriptionMessage } from '@app/event-store';

/**
 * An event store whose `$all` subscriptions fail on demand, as a real one does when the server
 * goes away: `subscribeToAll` throws, or a subscription breaks after some messages.
 */
export class FlakyEventStore {
  /** How many of the next `subscribeToAll` calls throw at once. */
  failSubscribes = 0;
  /** The next subscription throws after this many messages (then the setting clears). */
  breakAfterMessages: number | undefined;
  subscribeCalls = 0;
  readonly store: EventStore;

  constructor(inner: EventStore) {
    const subscribeToAll = (options?: SubscribeToAllOptions): Subscription => this.subscribe(inner, options);
    this.store = new Proxy(inner, { get: (target, key, receiver) => (key === 'subscribeToAll' ? subscribeToAll : Reflect.get(target, key, receiver)) });
  }

  private subscribe(inner: EventStore, options: SubscribeToAllOptions | undefined): Subscription {
    this.subscribeCalls += 1;
    if (this.failSubscribes > 0) {
      this.failSubscribes -= 1;
      throw new EventStoreUnavailableError('store unreachable (test)');
    }
    const subscription = inner.subscribeToAll(options);
    const limit = this.breakAfterMessages;
    this.breakAfterMessages = undefined;
    if (limit === undefined) return subscription;
    async function* breaking(): AsyncGenerator<SubscriptionMessage> {
      let delivered = 0;
      for await (const message of subscription) {
        if (delivered === limit) throw new EventStoreUnavailableError('connection lost (test)');
        delivered += 1;
        yield message;
      }
    }
    const messages = breaking();
    return { [Symbol.asyncIterator]: () => messages, unsubscribe: () => subscription.unsubscribe() };
  }
}
