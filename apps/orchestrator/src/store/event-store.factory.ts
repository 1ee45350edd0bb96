import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SqliteEventStore, type EventStore } from '@app/event-store';
import * as eventStoreLib from '@app/event-store';

/**
 * The event store named by `BATON_EVENT_STORE`: `sqlite:<file>` (embedded default) or an
 * EventStoreDB connection string (`esdb://host:2113?tls=false`, or a cluster string).
 */
export function createEventStore(url: string): EventStore {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new SqliteEventStore({ path: file });
  }
  const Esdb = (eventStoreLib as unknown as Record<string, unknown>)['EsdbEventStore'] as (new (options: { connectionString: string }) => EventStore) | undefined;
  if (!Esdb) throw new Error('this build has no EventStoreDB adapter');
  return new Esdb({ connectionString: url });
}
