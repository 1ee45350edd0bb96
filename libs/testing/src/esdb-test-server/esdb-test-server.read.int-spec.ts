// Conformance of the test server's reads, deletes and wire encoding (what the server answers: stream and
// $all reads, soft deletes and tombstones), driven by the real EventStoreDBClient and by raw generated stubs.
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS, binaryEvent, END, EventStoreDBClient, START, StreamDeletedError, StreamNotFoundError, type ResolvedEvent,
} from '@eventstore/db-client';
import { AppendReq } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import type { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { EsdbTestServer } from './esdb-test.server';
import { anEvent, appendMany, rawRead, rawStreamsClient, streamReadOptions, trace, uniqueStream } from './conformance.helpers';

async function collect(source: AsyncIterable<ResolvedEvent>): Promise<Array<NonNullable<ResolvedEvent['event']>>> {
  const events = [];
  for await (const resolved of source) events.push(resolved.event!);
  return events;
}

describe('EsdbTestServer reads', () => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;
  let raw: StreamsClient;

  beforeAll(async () => {
    server = await EsdbTestServer.start();
    client = EventStoreDBClient.connectionString(server.connectionString);
    raw = rawStreamsClient(server.port);
  });
  afterAll(async () => {
    raw.close();
    await client.dispose();
    await server.close();
  });

  it('reads a stream forwards and backwards from an inclusive revision, bounded by maxCount', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 5);
    expect((await collect(client.readStream(stream))).map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect((await collect(client.readStream(stream, { fromRevision: 2n, maxCount: 2 }))).map((event) => event.revision)).toEqual([2n, 3n]);
    expect((await collect(client.readStream(stream, { direction: BACKWARDS, fromRevision: END }))).map((event) => event.revision)).toEqual([4n, 3n, 2n, 1n, 0n]);
    expect((await collect(client.readStream(stream, { direction: BACKWARDS, fromRevision: 1n }))).map((event) => event.revision)).toEqual([1n, 0n]);
  });

  it('returns type, JSON data, JSON metadata, id and created (100 ns ticks since the epoch)', async () => {
    const stream = uniqueStream();
    const id = randomUUID();
    const before = Date.now();
    await client.appendToStream(stream, anEvent('OrderPlaced', id, { orderId: 'o-1', total: 12.5 }));
    const [event] = await collect(client.readStream(stream));
    expect(event).toMatchObject({ streamId: stream, id, type: 'OrderPlaced', isJson: true, data: { orderId: 'o-1', total: 12.5 }, metadata: { correlationId: 'corr-1' } });
    expect(event!.created.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(event!.created.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('sends 64-bit integers as decimal strings and created as ticks', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 1);
    const options = streamReadOptions(stream, 10);
    const read = rawRead(raw, options);
    expect(await read.ended).toBeUndefined();
    const recorded = read.messages[0]!.getEvent()!.getEvent()!;
    expect(recorded.getStreamRevision()).toBe('0');
    expect(recorded.getCommitPosition()).toMatch(/^\d+$/);
    expect(recorded.getCommitPosition()).toBe(recorded.getPreparePosition());
    const ticks = BigInt(recorded.getMetadataMap().get('created')!);
    expect(Number(ticks / 10_000n)).toBeLessThanOrEqual(Date.now());
    expect(Number(ticks / 10_000n)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('answers structured UUIDs when asked', async () => {
    const stream = uniqueStream();
    const id = randomUUID();
    await client.appendToStream(stream, anEvent('A', id));
    const options = streamReadOptions(stream, 1, 'structured');
    const read = rawRead(raw, options);
    await read.ended;
    const uuid = read.messages[0]!.getEvent()!.getEvent()!.getId()!;
    expect(uuid.hasStructured()).toBe(true);
    const hex = (value: string) => BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, '0');
    expect(hex(uuid.getStructured()!.getMostSignificantBits()) + hex(uuid.getStructured()!.getLeastSignificantBits())).toBe(id.replace(/-/g, ''));
  });

  it('reads non-JSON content types back as application/octet-stream', async () => {
    const stream = uniqueStream();
    await new Promise<void>((resolve, reject) => {
      const call = raw.append((error) => (error ? reject(error) : resolve()));
      const options = new AppendReq.Options().setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(stream))).setAny(new Empty());
      call.write(new AppendReq().setOptions(options));
      const message = new AppendReq.ProposedMessage().setId(new UUID().setString(randomUUID())).setData(Buffer.from('hello'));
      message.getMetadataMap().set('type', 'Greeting');
      message.getMetadataMap().set('content-type', 'text/plain');
      call.write(new AppendReq().setProposedMessage(message));
      call.end();
    });
    await client.appendToStream(stream, binaryEvent({ type: 'Blob', data: Uint8Array.from([1, 2, 3]) }));
    const events = await collect(client.readStream(stream));
    expect(events.map((event) => event.isJson)).toEqual([false, false]);
    expect(Buffer.from(events[0]!.data as Uint8Array).toString()).toBe('hello');
    expect(Array.from(events[1]!.data as Uint8Array)).toEqual([1, 2, 3]);
    const options = streamReadOptions(stream, 1);
    const read = rawRead(raw, options);
    await read.ended;
    expect(read.messages[0]!.getEvent()!.getEvent()!.getMetadataMap().get('content-type')).toBe('application/octet-stream');
  });

  it('says stream_not_found (then ends the call OK) for a missing stream; the client raises StreamNotFoundError', async () => {
    const stream = uniqueStream();
    await expect(collect(client.readStream(stream))).rejects.toBeInstanceOf(StreamNotFoundError);
    const options = streamReadOptions(stream, 10);
    const read = rawRead(raw, options);
    expect(await read.ended).toBeUndefined();
    expect(trace(read.messages)).toEqual(['stream_not_found']);
  });

  it('soft delete hides the stream, writes a $metadata system event, and later appends show only new events', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 2);
    await client.deleteStream(stream, { expectedRevision: 1n });
    await expect(collect(client.readStream(stream))).rejects.toBeInstanceOf(StreamNotFoundError);
    const metadata = await collect(client.readStream(`$$${stream}`));
    expect(metadata.at(-1)).toMatchObject({ type: '$metadata', data: { $tb: 2 } });
    await client.appendToStream(stream, anEvent('Again'));
    expect((await collect(client.readStream(stream))).map((event) => [event.revision, event.type])).toEqual([[2n, 'Again']]);
  });

  it('a delete with the wrong expected revision fails with wrong-expected-version trailers', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 2);
    await expect(client.deleteStream(stream, { expectedRevision: 0n })).rejects.toMatchObject({ type: 'wrong-expected-version', expectedVersion: 0n, actualVersion: 1n });
    await expect(client.tombstoneStream(uniqueStream(), { expectedRevision: 3n })).rejects.toMatchObject({ type: 'wrong-expected-version', actualVersion: 'no_stream' });
  });

  it('tombstone is permanent: reads fail with stream-deleted (exception trailer + stream-name)', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 2);
    await client.tombstoneStream(stream);
    const error = await collect(client.readStream(stream)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StreamDeletedError);
    expect(error).toMatchObject({ streamName: stream });
    await expect(client.tombstoneStream(stream)).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(client.deleteStream(stream)).rejects.toBeInstanceOf(StreamDeletedError);
  });

  it('$all holds $-typed system events (epoch, $metadata, $streamDeleted) next to user events', async () => {
    const deleted = uniqueStream();
    const tombstoned = uniqueStream();
    await appendMany(client, deleted, 1);
    await appendMany(client, tombstoned, 1);
    await client.deleteStream(deleted);
    await client.tombstoneStream(tombstoned);
    const all = await collect(client.readAll({ maxCount: 100_000 }));
    expect(all[0]!.type).toBe('$epoch-information');
    expect(all.some((event) => event.type === '$metadata' && event.streamId === `$$${deleted}`)).toBe(true);
    expect(all.some((event) => event.type === '$streamDeleted' && event.streamId === tombstoned)).toBe(true);
  });

  it('reads $all forwards inclusive of the start position, and backwards from before it', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 3);
    const events = await collect(client.readStream(stream));
    const middle = events[1]!.position!;
    const forwards = await collect(client.readAll({ fromPosition: middle, maxCount: 2 }));
    expect(forwards.map((event) => event.id)).toEqual([events[1]!.id, events[2]!.id]);
    const backwards = await collect(client.readAll({ fromPosition: middle, direction: BACKWARDS, maxCount: 1 }));
    expect(backwards.map((event) => event.id)).toEqual([events[0]!.id]);
    const last = await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }));
    expect(last[0]!.id).toBe(events[2]!.id);
    const first = await collect(client.readAll({ fromPosition: START, maxCount: 1 }));
    expect(first[0]!.type).toBe('$epoch-information');
  });
});
