// The test server's outage simulation and persistence: what a client sees when the server vanishes,
// comes back on the same port, or is replaced by a new server reading the same data file.
import { status } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledError, EventStoreDBClient, StreamDeletedError, StreamNotFoundError, UnavailableError, type ResolvedEvent } from '@eventstore/db-client';
import { EsdbTestServer } from './esdb-test.server';
import { anEvent, appendMany, uniqueStream, until } from './conformance.helpers';

async function collect(source: AsyncIterable<ResolvedEvent>): Promise<Array<NonNullable<ResolvedEvent['event']>>> {
  const events = [];
  for await (const resolved of source) events.push(resolved.event!);
  return events;
}

/** After an outage the client needs a call or two to notice and reconnect; wait for that, bounded. */
async function untilReachable(client: EventStoreDBClient): Promise<void> {
  let ok = false;
  await until(() => {
    void collect(client.readAll({ maxCount: 1 })).then(() => (ok = true), () => undefined);
    return ok;
  }, 'the client to reconnect', 10_000);
}

describe.each([{ batchAppend: false }, { batchAppend: true }])('EsdbTestServer outage (batchAppend: $batchAppend)', ({ batchAppend }) => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;

  beforeEach(async () => {
    server = await EsdbTestServer.start({ batchAppend });
    client = EventStoreDBClient.connectionString(server.connectionString);
  });
  afterEach(async () => {
    await client.dispose();
    await server.close();
  });

  it('stop() makes calls fail UNAVAILABLE; start() brings the same port and data back', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 2);
    const port = server.port;
    await server.stop();
    expect(server.running).toBe(false);
    // A call racing the shutdown may still ride the dying BatchAppend call and see it cancelled; once
    // the client noticed, connections are refused (the client's lazy features call even reports the
    // raw gRPC error rather than its UnavailableError).
    const racing: unknown = await client.appendToStream(stream, anEvent()).catch((error: unknown) => error);
    expect([status.UNAVAILABLE, status.CANCELLED]).toContain((racing as { code?: number }).code);
    await expect(client.appendToStream(stream, anEvent())).rejects.toMatchObject({ code: status.UNAVAILABLE });
    await expect(collect(client.readStream(stream))).rejects.toBeInstanceOf(UnavailableError);
    await server.start();
    expect(server.port).toBe(port);
    await untilReachable(client);
    expect((await collect(client.readStream(stream))).map((event) => event.revision)).toEqual([0n, 1n]);
    await expect(client.appendToStream(stream, anEvent(), { expectedRevision: 1n })).resolves.toMatchObject({ nextExpectedRevision: 2n });
  });

  it('stop() cuts live subscriptions: the client sees the server vanish', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 1);
    const subscription = client.subscribeToStream(stream);
    let caughtUp = false;
    let failure: unknown;
    subscription.on('caughtUp', () => (caughtUp = true));
    subscription.on('data', () => undefined);
    subscription.on('error', (error) => (failure = error));
    await until(() => caughtUp, 'caught up');
    await server.stop();
    await until(() => failure, 'the subscription to fail');
    expect(failure instanceof UnavailableError || failure instanceof CancelledError).toBe(true);
  });

  it('restart() writes a new $epoch-information system event', async () => {
    await server.restart();
    await untilReachable(client);
    const epochs = (await collect(client.readAll({ maxCount: 1_000 }))).filter((event) => event.type === '$epoch-information');
    expect(epochs).toHaveLength(2);
  });
});

describe('EsdbTestServer data file', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'esdb-test-server-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('a new server on the same file keeps events, positions, soft deletes and tombstones', async () => {
    const dataFile = path.join(directory, 'esdb.jsonl');
    const first = await EsdbTestServer.start({ dataFile });
    const client = EventStoreDBClient.connectionString(first.connectionString);
    const kept = uniqueStream();
    const softDeleted = uniqueStream();
    const tombstoned = uniqueStream();
    await appendMany(client, kept, 3);
    await appendMany(client, softDeleted, 2);
    await appendMany(client, tombstoned, 1);
    await client.deleteStream(softDeleted);
    await client.tombstoneStream(tombstoned);
    const before = await collect(client.readStream(kept));
    await client.dispose();
    await first.close();

    const second = await EsdbTestServer.start({ dataFile });
    const again = EventStoreDBClient.connectionString(second.connectionString);
    try {
      const after = await collect(again.readStream(kept));
      expect(after.map((event) => [event.id, event.revision, event.position, event.data])).toEqual(before.map((event) => [event.id, event.revision, event.position, event.data]));
      await expect(collect(again.readStream(softDeleted))).rejects.toBeInstanceOf(StreamNotFoundError);
      await expect(again.appendToStream(softDeleted, anEvent(), { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 2n });
      await expect(collect(again.readStream(tombstoned))).rejects.toBeInstanceOf(StreamDeletedError);
      const appended = await again.appendToStream(kept, anEvent(), { expectedRevision: 2n });
      expect(appended.position!.commit > before.at(-1)!.position!.commit).toBe(true);
    } finally {
      await again.dispose();
      await second.close();
    }
  });
});
