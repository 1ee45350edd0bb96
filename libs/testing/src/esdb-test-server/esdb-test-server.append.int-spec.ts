// Conformance of the test server's append paths (expected revisions, idempotent appends by event id;
// Append and BatchAppend, the RPCs the client makes), driven by the real EventStoreDBClient in every features mode.
import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, StreamDeletedError, WrongExpectedVersionError } from '@eventstore/db-client';
import { EsdbTestServer, type EsdbTestServerOptions, type RpcName } from './esdb-test.server';
import { anEvent, appendMany, uniqueStream } from './conformance.helpers';

const modes: Array<{ mode: string; options: EsdbTestServerOptions; used: RpcName; unused: RpcName }> = [
  { mode: 'Append (batchappend not advertised)', options: { batchAppend: false }, used: 'append', unused: 'batchAppend' },
  { mode: 'BatchAppend (advertised)', options: { batchAppend: true }, used: 'batchAppend', unused: 'append' },
  { mode: 'Append (GetSupportedMethods UNIMPLEMENTED)', options: { featuresUnimplemented: true }, used: 'append', unused: 'batchAppend' },
];

describe.each(modes)('EsdbTestServer appends over $mode', ({ options, used, unused }) => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    server = await EsdbTestServer.start(options);
    client = EventStoreDBClient.connectionString(server.connectionString);
  });
  afterAll(async () => {
    await client.dispose();
    await server.close();
  });

  it('asks for the server features once, then appends over the path they allow', async () => {
    await client.appendToStream(uniqueStream(), anEvent());
    await client.appendToStream(uniqueStream(), anEvent());
    expect(server.calls.getSupportedMethods).toBe(1);
    expect(server.calls[used]).toBeGreaterThanOrEqual(1);
    expect(server.calls[unused]).toBe(0);
  });

  it('answers with the revision of the last event and its $all position (commit == prepare)', async () => {
    const stream = uniqueStream();
    const result = await appendMany(client, stream, 3);
    expect(result.success).toBe(true);
    expect(result.nextExpectedRevision).toBe(2n);
    expect(result.position!.commit).toBe(result.position!.prepare);
    const events = [];
    for await (const resolved of client.readStream(stream)) events.push(resolved.event!);
    expect(events.at(-1)!.position).toEqual(result.position);
  });

  it('gives positions that grow with gaps, so nobody can compute them', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 3);
    const positions: bigint[] = [];
    for await (const resolved of client.readStream(stream)) positions.push(resolved.event!.position!.commit);
    expect(positions[1]! > positions[0]! + 1n).toBe(true);
    expect(positions[2]! > positions[1]! + 1n).toBe(true);
  });

  it('no_stream writes a new stream and conflicts once it exists, reporting the actual revision', async () => {
    const stream = uniqueStream();
    await expect(client.appendToStream(stream, anEvent(), { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 0n });
    const error = await client.appendToStream(stream, anEvent(), { expectedRevision: 'no_stream' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: 'no_stream', actualVersion: 0n });
  });

  it('an exact revision writes; a higher one conflicts', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 2);
    await expect(client.appendToStream(stream, anEvent(), { expectedRevision: 1n })).resolves.toMatchObject({ nextExpectedRevision: 2n });
    const error = await client.appendToStream(stream, anEvent(), { expectedRevision: 5n }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ expectedVersion: 5n, actualVersion: 2n });
  });

  it('a numeric revision on a missing stream conflicts with actual no_stream', async () => {
    const error = await client.appendToStream(uniqueStream(), anEvent(), { expectedRevision: 0n }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ actualVersion: 'no_stream' });
  });

  it('a lower revision with the same event ids is an idempotent retry: original revision and position, nothing duplicated', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 1);
    const batch = [anEvent('A'), anEvent('B')];
    const first = await client.appendToStream(stream, batch, { expectedRevision: 0n });
    await appendMany(client, stream, 1);
    const retry = await client.appendToStream(stream, batch, { expectedRevision: 0n });
    expect(retry).toEqual(first);
    const noStreamBatch = [anEvent('C')];
    const other = uniqueStream();
    const created = await client.appendToStream(other, noStreamBatch, { expectedRevision: 'no_stream' });
    await expect(client.appendToStream(other, noStreamBatch, { expectedRevision: 'no_stream' })).resolves.toEqual(created);
    let count = 0;
    for await (const _ of client.readStream(stream)) count++;
    expect(count).toBe(4);
  });

  it('a lower revision with other event ids conflicts', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 3);
    await expect(client.appendToStream(stream, anEvent(), { expectedRevision: 0n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });

  it('any and stream_exists are idempotent only when every id is already stored', async () => {
    const stream = uniqueStream();
    const batch = [anEvent(), anEvent()];
    const first = await client.appendToStream(stream, batch, { expectedRevision: 'any' });
    await expect(client.appendToStream(stream, batch, { expectedRevision: 'any' })).resolves.toEqual(first);
    await expect(client.appendToStream(stream, batch, { expectedRevision: 'stream_exists' })).resolves.toEqual(first);
    await expect(client.appendToStream(stream, [batch[0]!, anEvent()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(client.appendToStream(stream, anEvent(), { expectedRevision: 'any' })).resolves.toMatchObject({ nextExpectedRevision: 2n });
  });

  it('stream_exists conflicts on a missing stream and writes on an existing one', async () => {
    const stream = uniqueStream();
    await expect(client.appendToStream(stream, anEvent(), { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
      expectedVersion: 'stream_exists',
      actualVersion: 'no_stream',
    });
    await appendMany(client, stream, 1);
    await expect(client.appendToStream(stream, anEvent(), { expectedRevision: 'stream_exists' })).resolves.toMatchObject({ nextExpectedRevision: 1n });
  });

  it('appends to a tombstoned stream fail with stream-deleted', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 1);
    await client.tombstoneStream(stream);
    const error = await client.appendToStream(stream, anEvent(randomUUID()), { expectedRevision: 'any' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StreamDeletedError);
    expect(error).toMatchObject({ streamName: stream });
  });

  it('soft delete keeps the revision numbers: a later append continues them', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 2);
    await client.deleteStream(stream);
    await expect(client.appendToStream(stream, anEvent(), { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 2n });
    const other = uniqueStream();
    await appendMany(client, other, 2);
    await client.deleteStream(other);
    await expect(client.appendToStream(other, anEvent(), { expectedRevision: 1n })).resolves.toMatchObject({ nextExpectedRevision: 2n });
  });

  it('stream_exists on a soft-deleted stream fails with stream-deleted', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 1);
    await client.deleteStream(stream);
    await expect(client.appendToStream(stream, anEvent(), { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(StreamDeletedError);
  });
});
