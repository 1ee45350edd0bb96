// Conformance of the test server's catch-up subscriptions (events after the start point, one caught-up,
// then live events; filters and checkpoints): exact wire order through raw generated stubs, and end-to-end behaviour through the real EventStoreDBClient.
import { EventStoreDBClient, eventTypeFilter, streamNameFilter, type ResolvedEvent } from '@eventstore/db-client';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier } from '@eventstore/db-client/generated/shared_pb';
import type { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { EsdbTestServer } from './esdb-test.server';
import { allSubscriptionOptions, anEvent, appendMany, rawRead, rawStreamsClient, trace, uniqueStream, until, type RawRead } from './conformance.helpers';

function streamSubscriptionOptions(stream: string, from: 'start' | 'end' | bigint): ReadReq.Options {
  const streamOptions = new ReadReq.Options.StreamOptions().setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(stream)));
  if (from === 'start') streamOptions.setStart(new Empty());
  else if (from === 'end') streamOptions.setEnd(new Empty());
  else streamOptions.setRevision(String(from));
  return new ReadReq.Options()
    .setStream(streamOptions)
    .setSubscription(new ReadReq.Options.SubscriptionOptions())
    .setNoFilter(new Empty())
    .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()));
}

function filterOn(kind: 'stream' | 'type', expression: { prefixes?: string[]; regex?: string }, multiplier = 1): ReadReq.Options.FilterOptions {
  const expr = new ReadReq.Options.FilterOptions.Expression();
  if (expression.prefixes) expr.setPrefixList(expression.prefixes);
  if (expression.regex) expr.setRegex(expression.regex);
  const filter = new ReadReq.Options.FilterOptions().setCount(new Empty()).setCheckpointintervalmultiplier(multiplier);
  return kind === 'stream' ? filter.setStreamIdentifier(expr) : filter.setEventType(expr);
}

const hasCaughtUp = (read: RawRead) => trace(read.messages).includes('caught_up');

describe('EsdbTestServer subscriptions', () => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;
  let raw: StreamsClient;

  beforeEach(async () => {
    server = await EsdbTestServer.start();
    client = EventStoreDBClient.connectionString(server.connectionString);
    raw = rawStreamsClient(server.port);
  });
  afterEach(async () => {
    raw.close();
    await client.dispose();
    await server.close();
  });

  it('to a stream: confirmation → catch-up events → caught_up → live events', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 2, 'Before');
    const read = rawRead(raw, streamSubscriptionOptions(stream, 'start'));
    await until(() => hasCaughtUp(read), 'caught_up');
    await appendMany(client, stream, 1, 'After');
    await until(() => read.messages.length === 5, 'the live event');
    expect(trace(read.messages)).toEqual(['confirmation', `event:${stream}@0:Before`, `event:${stream}@1:Before`, 'caught_up', `event:${stream}@2:After`]);
    read.call.cancel();
  });

  it('to a stream: the start revision is exclusive, end means live only, a missing stream just waits', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 3);
    const fromRevision = rawRead(raw, streamSubscriptionOptions(stream, 1n));
    const fromEnd = rawRead(raw, streamSubscriptionOptions(stream, 'end'));
    const missing = uniqueStream();
    const notYet = rawRead(raw, streamSubscriptionOptions(missing, 'start'));
    await until(() => hasCaughtUp(fromRevision) && hasCaughtUp(fromEnd) && hasCaughtUp(notYet), 'caught_up everywhere');
    expect(trace(fromRevision.messages)).toEqual(['confirmation', `event:${stream}@2:SomethingHappened`, 'caught_up']);
    expect(trace(fromEnd.messages)).toEqual(['confirmation', 'caught_up']);
    await appendMany(client, missing, 1);
    await until(() => notYet.messages.length === 3, 'the first event of a new stream');
    expect(trace(notYet.messages)).toEqual(['confirmation', 'caught_up', `event:${missing}@0:SomethingHappened`]);
    for (const read of [fromRevision, fromEnd, notYet]) read.call.cancel();
  });

  it('to a tombstoned stream fails with stream-deleted, also when it happens live', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 1);
    const live = rawRead(raw, streamSubscriptionOptions(stream, 'start'));
    await until(() => hasCaughtUp(live), 'caught_up');
    await client.tombstoneStream(stream);
    const error = await live.ended;
    expect(error?.metadata.get('exception')).toEqual(['stream-deleted']);
    expect(error?.metadata.get('stream-name')).toEqual([stream]);
    const late = rawRead(raw, streamSubscriptionOptions(stream, 'start'));
    expect((await late.ended)?.metadata.get('exception')).toEqual(['stream-deleted']);
  });

  it('to $all: the start position is exclusive and unfiltered subscriptions get system events but no checkpoints', async () => {
    const stream = uniqueStream();
    await appendMany(client, stream, 3);
    const events: ResolvedEvent[] = [];
    for await (const resolved of client.readStream(stream)) events.push(resolved);
    const read = rawRead(raw, allSubscriptionOptions(undefined, { commit: String(events[0]!.event!.position!.commit) }));
    await until(() => hasCaughtUp(read), 'caught_up');
    expect(trace(read.messages)).toEqual(['confirmation', `event:${stream}@1:SomethingHappened`, `event:${stream}@2:SomethingHappened`, 'caught_up']);
    const fromStart = rawRead(raw, allSubscriptionOptions());
    await until(() => hasCaughtUp(fromStart), 'caught_up');
    await client.deleteStream(stream);
    await until(() => trace(fromStart.messages).some((line) => line.endsWith(':$metadata')), 'the live $metadata event');
    const lines = trace(fromStart.messages);
    expect(lines[1]).toBe('event:$epochs@0:$epoch-information');
    expect(lines.some((line) => line.startsWith('checkpoint'))).toBe(false);
    read.call.cancel();
    fromStart.call.cancel();
  });

  it('filtered $all: a checkpoint every multiplier × 32 considered events and one on going live, before caught_up', async () => {
    // $all: epoch (1) + 40 "other" + 1 "match" = 42 records, all considered by the filter.
    await appendMany(client, uniqueStream('other'), 40);
    await appendMany(client, uniqueStream('match'), 1);
    const all: ResolvedEvent[] = [];
    for await (const resolved of client.readAll()) all.push(resolved);
    const position = (index: number) => String(all[index]!.event!.position!.commit);

    const read = rawRead(raw, allSubscriptionOptions(filterOn('stream', { prefixes: ['match'] })));
    await until(() => hasCaughtUp(read), 'caught_up');
    const matchStream = all[41]!.event!.streamId;
    expect(trace(read.messages)).toEqual([
      'confirmation', `checkpoint:${position(31)}`, `event:${matchStream}@0:SomethingHappened`, `checkpoint:${position(41)}`, 'caught_up',
    ]);

    await appendMany(client, uniqueStream('other'), 32);
    await until(() => read.messages.length === 6, 'a live checkpoint');
    const now: ResolvedEvent[] = [];
    for await (const resolved of client.readAll()) now.push(resolved);
    const nowPosition = (index: number) => String(now[index]!.event!.position!.commit);
    expect(now).toHaveLength(74);
    expect(trace(read.messages)[5]).toBe(`checkpoint:${nowPosition(73)}`);

    const doubled = rawRead(raw, allSubscriptionOptions(filterOn('stream', { prefixes: ['match'] }, 2)));
    await until(() => hasCaughtUp(doubled), 'caught_up');
    expect(trace(doubled.messages)).toEqual([
      'confirmation', `event:${matchStream}@0:SomethingHappened`, `checkpoint:${nowPosition(63)}`, `checkpoint:${nowPosition(73)}`, 'caught_up',
    ]);
    read.call.cancel();
    doubled.call.cancel();
  });

  it('filters on event-type prefix and on regex, and the client maps them', async () => {
    const stream = uniqueStream('orders');
    await client.appendToStream(stream, [anEvent('OrderPlaced'), anEvent('PaymentTaken'), anEvent('OrderShipped')]);
    const byType = rawRead(raw, allSubscriptionOptions(filterOn('type', { prefixes: ['Order'] })));
    const byRegex = rawRead(raw, allSubscriptionOptions(filterOn('stream', { regex: '^orders-' })));
    await until(() => hasCaughtUp(byType) && hasCaughtUp(byRegex), 'caught_up');
    expect(trace(byType.messages).filter((line) => line.startsWith('event'))).toEqual([`event:${stream}@0:OrderPlaced`, `event:${stream}@2:OrderShipped`]);
    expect(trace(byRegex.messages).filter((line) => line.startsWith('event'))).toHaveLength(3);
    byType.call.cancel();
    byRegex.call.cancel();

    const received: string[] = [];
    const checkpoints: bigint[] = [];
    const subscription = client.subscribeToAll({
      filter: eventTypeFilter({ prefixes: ['Payment'], checkpointReached: (_subscription, position) => void checkpoints.push(position.commit) }),
    });
    subscription.on('data', (resolved: ResolvedEvent) => received.push(resolved.event!.type));
    await until(() => received.length === 1 && checkpoints.length === 1, 'the filtered event and the going-live checkpoint');
    expect(received).toEqual(['PaymentTaken']);
    await subscription.unsubscribe();

    const byName = client.subscribeToAll({ filter: streamNameFilter({ prefixes: ['orders-'] }) });
    const names: string[] = [];
    byName.on('data', (resolved: ResolvedEvent) => names.push(resolved.event!.type));
    await until(() => names.length === 3, 'three events of the orders stream');
    await byName.unsubscribe();
  });

  it('respects back-pressure: a paused consumer gets every event, in order, once it resumes', async () => {
    const stream = uniqueStream();
    const big = { payload: 'x'.repeat(4_000) };
    for (let batch = 0; batch < 10; batch++) {
      await client.appendToStream(stream, Array.from({ length: 200 }, () => anEvent('Big', undefined, big)));
    }
    const read = rawRead(raw, streamSubscriptionOptions(stream, 'start'));
    read.call.pause();
    await until(() => server.stalledSubscriptions === 1, 'the server to wait for the paused reader');
    expect(read.messages.length).toBeLessThan(2_000);
    read.call.resume();
    await until(() => hasCaughtUp(read), 'caught_up', 20_000);
    const revisions = read.messages.filter((message) => message.hasEvent()).map((message) => Number(message.getEvent()!.getEvent()!.getStreamRevision()));
    expect(revisions).toEqual(Array.from({ length: 2_000 }, (_, n) => n));
    read.call.cancel();
  });
});
