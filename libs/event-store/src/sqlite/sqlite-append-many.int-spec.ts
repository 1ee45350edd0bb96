import { randomUUID } from 'node:crypto';
import { StreamDeletedError, StreamRevisionConflictError } from '@app/event-store';
import { SubscriptionRecorder } from '@app/testing';
import { SqliteEventStore } from './sqlite-event-store';

const event = () => ({ id: randomUUID(), type: 'BatchedEventHappened', data: {} });

describe('SqliteEventStore.appendMany', () => {
  let store: SqliteEventStore;

  beforeEach(() => {
    store = new SqliteEventStore({ path: ':memory:' });
  });

  afterEach(() => store.close());

  it('given requests to several streams, when appended together, then each gets the result appendToStream would give', async () => {
    const outcomes = await store.appendMany([
      { streamName: 'execution-a', events: [event(), event()], expectedRevision: 'no_stream' },
      { streamName: 'execution-b', events: [event()], expectedRevision: 'no_stream' },
      { streamName: 'execution-a', events: [event()], expectedRevision: 1n },
    ]);

    expect(outcomes.map((outcome) => outcome.ok && outcome.result.nextExpectedRevision)).toEqual([1n, 0n, 2n]);
    const all = await store.readAll();
    expect(all.map((e) => `${e.streamName}@${e.revision}`)).toEqual(['execution-a@0', 'execution-a@1', 'execution-b@0', 'execution-a@2']);
    expect(outcomes.map((outcome) => outcome.ok && outcome.result.position)).toEqual([all[1]!.position, all[2]!.position, all[3]!.position]);
  });

  it('given one request that conflicts and one to a tombstoned stream, when appended together, then only they fail', async () => {
    await store.appendToStream('execution-c', [event()], { expectedRevision: 'no_stream' });
    await store.tombstoneStream('execution-d');

    const [stale, deleted, fine] = await store.appendMany([
      { streamName: 'execution-c', events: [event()], expectedRevision: 'no_stream' },
      { streamName: 'execution-d', events: [event()] },
      { streamName: 'execution-c', events: [event()], expectedRevision: 0n },
    ]);

    expect(stale).toMatchObject({ ok: false, error: expect.any(StreamRevisionConflictError) });
    expect(deleted).toMatchObject({ ok: false, error: expect.any(StreamDeletedError) });
    expect(fine).toMatchObject({ ok: true, result: { nextExpectedRevision: 1n } });
  });

  it('given a request that repeats an event id of an earlier one, when appended together, then only the repeat fails and the earlier one stays', async () => {
    const shared = event();

    const [first, repeat] = await store.appendMany([
      { streamName: 'execution-e', events: [shared], expectedRevision: 'no_stream' },
      { streamName: 'execution-e', events: [event(), shared], expectedRevision: 0n },
    ]);

    expect(first!.ok).toBe(true);
    expect(repeat).toMatchObject({ ok: false, error: expect.any(StreamRevisionConflictError) });
    expect((await store.readStream('execution-e')).map((e) => e.id)).toEqual([shared.id]);
  });

  it('given a live subscription, when a batch is appended, then the subscriber is woken', async () => {
    const recorder = new SubscriptionRecorder(store.subscribeToAll());
    await recorder.until('caught-up', (r) => r.caughtUp());

    await store.appendMany([{ streamName: 'execution-f', events: [event(), event()] }]);

    await recorder.until('both events', (r) => r.events().length === 2);
    await recorder.stop();
  });
});
