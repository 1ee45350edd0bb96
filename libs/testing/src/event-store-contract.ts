import type { EventStore, Subscription } from '@app/event-store';
import { appendContract } from './event-store-contract/append.contract';
import { type ContractContext, SubscriptionRecorder } from './event-store-contract/contract.fixtures';
import { deleteContract } from './event-store-contract/delete.contract';
import { readContract } from './event-store-contract/read.contract';
import { subscriptionContract } from './event-store-contract/subscription.contract';

export { SubscriptionRecorder } from './event-store-contract/contract.fixtures';

/** What the contract suite needs from an adapter's spec: a fresh store, and how to release it. */
export type EventStoreFactory = () => Promise<{ store: EventStore; dispose: () => Promise<void> }>;

/**
 * The one behaviour suite every {@link EventStore} adapter must pass: the port's rules and the
 * EventStoreDB semantics listed in docs/event-store.md §4. One store serves the whole suite and
 * every test uses stream names of its own, so it also runs against a shared real server.
 *
 * @example
 * // in-memory-event-store.spec.ts
 * describeEventStoreContract('in-memory', async () => {
 *   const store = new InMemoryEventStore();
 *   return { store, dispose: () => store.close() };
 * });
 */
export function describeEventStoreContract(name: string, create: EventStoreFactory): void {
  describe(`EventStore contract: ${name}`, () => {
    let created: Awaited<ReturnType<EventStoreFactory>> | undefined;
    const recorders: SubscriptionRecorder[] = [];
    const context: ContractContext = {
      store: () => {
        if (created === undefined) throw new Error('the store was not created: see the error of beforeAll');
        return created.store;
      },
      record: (subscription: Subscription) => {
        const recorder = new SubscriptionRecorder(subscription);
        recorders.push(recorder);
        return recorder;
      },
    };

    beforeAll(async () => {
      created = await create();
    });

    afterEach(async () => {
      await Promise.all(recorders.splice(0).map((recorder) => recorder.stop()));
    });

    afterAll(async () => {
      await created?.dispose();
    });

    appendContract(context);
    readContract(context);
    deleteContract(context);
    subscriptionContract(context);
  });
}
