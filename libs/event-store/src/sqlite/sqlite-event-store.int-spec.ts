import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '@app/testing';
import { SqliteEventStore } from './sqlite-event-store';

describeEventStoreContract('sqlite (file)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'baton-sqlite-'));
  const store = new SqliteEventStore({ path: join(directory, 'events.db') });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

describeEventStoreContract('sqlite (:memory:)', async () => {
  const store = new SqliteEventStore({ path: ':memory:' });
  return { store, dispose: () => store.close() };
});
