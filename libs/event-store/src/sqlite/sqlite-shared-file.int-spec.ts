import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamRevisionConflictError } from '@app/event-store';
import { SubscriptionRecorder } from '@app/testing';
import { SqliteEventStore } from './sqlite-event-store';

const event = (type = 'SharedFileEventHappened') => ({ id: randomUUID(), type, data: { at: type } });

// Two instances on one file stand for two orchestrator replicas (processes) on one machine: they
// share nothing in memory, so each learns of the other's appends only through the file.
describe('SqliteEventStore: two instances on the same file', () => {
  let directory: string;
  let first: SqliteEventStore;
  let second: SqliteEventStore;
  const recorders: SubscriptionRecorder[] = [];

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'baton-sqlite-shared-'));
    first = new SqliteEventStore({ path: join(directory, 'events.db') });
    second = new SqliteEventStore({ path: join(directory, 'events.db'), pollIntervalMs: 20 });
  });

  afterEach(async () => {
    await Promise.all(recorders.splice(0).map((recorder) => recorder.stop()));
    await first.close();
    await second.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('given a $all subscription on one, when the other appends, then the subscriber receives it live', async () => {
    const recorder = new SubscriptionRecorder(second.subscribeToAll({ filter: { streamNamePrefixes: ['execution-'] } }));
    recorders.push(recorder);
    await recorder.until('caught-up', (r) => r.caughtUp());

    await first.appendToStream('execution-1', [event('ExecutionStarted')], { expectedRevision: 'no_stream' });
    await first.appendToStream('execution-1', [event('TaskScheduled')], { expectedRevision: 0n });

    await recorder.until('both live events', (r) => r.events().length === 2);
    expect(recorder.events().map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskScheduled']);
  });

  it('given a stream subscription on one, when the other appends to the stream, then the subscriber receives it live', async () => {
    await first.appendToStream('execution-2', [event()], { expectedRevision: 'no_stream' });
    const recorder = new SubscriptionRecorder(second.subscribeToStream('execution-2', { fromRevision: 'end' }));
    recorders.push(recorder);
    await recorder.until('caught-up', (r) => r.caughtUp());

    await first.appendToStream('execution-2', [event()], { expectedRevision: 0n });

    await recorder.until('the live event', (r) => r.events().length === 1);
    expect(recorder.events()[0]!.revision).toBe(1n);
  });

  it('given a stream written by one, when the other appends at a stale expected revision, then it conflicts with the actual revision', async () => {
    await first.appendToStream('execution-3', [event()], { expectedRevision: 'no_stream' });
    await first.appendToStream('execution-3', [event()], { expectedRevision: 0n });

    const stale = second.appendToStream('execution-3', [event()], { expectedRevision: 0n });

    await expect(stale).rejects.toBeInstanceOf(StreamRevisionConflictError);
    await expect(stale).rejects.toMatchObject({ actual: 1n });
  });

  it('given both race on one stream at the same expected revision, then exactly one wins', async () => {
    await first.appendToStream('execution-4', [event()], { expectedRevision: 'no_stream' });

    const outcomes = await Promise.allSettled([
      first.appendToStream('execution-4', [event()], { expectedRevision: 0n }),
      second.appendToStream('execution-4', [event()], { expectedRevision: 0n }),
    ]);

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect((await second.readStream('execution-4')).map((e) => e.revision)).toEqual([0n, 1n]);
  });

  it('given an append by one, when the other retries it, then the retry is idempotent', async () => {
    const events = [event(), event()];
    const original = await first.appendToStream('execution-5', events, { expectedRevision: 'no_stream' });

    const retried = await second.appendToStream('execution-5', events, { expectedRevision: 'no_stream' });

    expect(retried).toEqual(original);
  });

  it('given interleaved appends by both, when reading $all from either, then both see one order with increasing positions', async () => {
    for (let index = 0; index < 10; index += 1) {
      await (index % 2 === 0 ? first : second).appendToStream(`execution-6-${index % 3}`, [event()]);
    }

    const fromFirst = await first.readAll({ filter: { streamNamePrefixes: ['execution-6-'] } });
    const fromSecond = await second.readAll({ filter: { streamNamePrefixes: ['execution-6-'] } });

    expect(fromFirst).toHaveLength(10);
    expect(fromSecond).toEqual(fromFirst);
    for (let index = 1; index < fromFirst.length; index += 1) expect(fromFirst[index]!.position.commit > fromFirst[index - 1]!.position.commit).toBe(true);
  });
});
