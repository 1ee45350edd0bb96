import { describeEventStoreContract } from '@app/testing';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreContract('in-memory', async () => {
  const store = new InMemoryEventStore();
  return { store, dispose: () => store.close() };
});
