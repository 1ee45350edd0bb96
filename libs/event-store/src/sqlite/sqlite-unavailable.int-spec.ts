import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventStoreUnavailableError } from '@app/event-store';
import { SubscriptionRecorder } from '@app/testing';
import { SqliteEventStore } from './sqlite-event-store';

describe('SqliteEventStore when the file is unavailable', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'baton-sqlite-busy-'));
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('given another connection holding the write lock past the busy timeout, when appending, then it fails as retryable unavailability', async () => {
    const path = join(directory, 'events.db');
    const store = new SqliteEventStore({ path, busyTimeoutMs: 50 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');

    try {
      const append = store.appendToStream('execution-1', [{ id: randomUUID(), type: 'ExecutionStarted', data: {} }]);

      await expect(append).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(append).rejects.toMatchObject({ retryable: true });
    } finally {
      other.exec('ROLLBACK');
      other.close();
      await store.close();
    }
  });

  it('given a closed store, when pinging or appending, then it fails as unavailable and open subscriptions have ended', async () => {
    const store = new SqliteEventStore({ path: join(directory, 'events.db') });
    const recorder = new SubscriptionRecorder(store.subscribeToAll());
    await recorder.until('caught-up', (r) => r.caughtUp());

    await store.close();

    await expect(recorder.ended).resolves.toBeUndefined();
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.appendToStream('execution-1', [])).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
