// Helpers of the test server's conformance specs (not exported from the library).
import { randomUUID } from 'node:crypto';
import { credentials, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { jsonEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier } from '@eventstore/db-client/generated/shared_pb';

/** Waits for `probe` to return something truthy, polling, and fails after `timeoutMs`. */
export async function until<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function uniqueStream(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

export function anEvent(type = 'SomethingHappened', id: string = randomUUID(), data: Record<string, unknown> = { n: 1 }) {
  return jsonEvent({ id, type, data, metadata: { correlationId: 'corr-1', actor: 'test' } });
}

export async function appendMany(client: EventStoreDBClient, stream: string, count: number, type = 'SomethingHappened') {
  return client.appendToStream(stream, Array.from({ length: count }, (_, n) => anEvent(type, randomUUID(), { n })));
}

/** A raw `Streams.Read` call with the client's generated stub: every wire message, in order. */
export interface RawRead {
  readonly messages: ReadResp[];
  readonly call: ClientReadableStream<ReadResp>;
  readonly ended: Promise<ServiceError | undefined>;
}

export function rawStreamsClient(port: number): StreamsClient {
  return new StreamsClient(`127.0.0.1:${port}`, credentials.createInsecure());
}

export function rawRead(client: StreamsClient, options: ReadReq.Options): RawRead {
  const messages: ReadResp[] = [];
  const call = client.read(new ReadReq().setOptions(options));
  const ended = new Promise<ServiceError | undefined>((resolve) => {
    call.on('data', (message: ReadResp) => messages.push(message));
    call.on('error', (error: ServiceError) => resolve(error));
    call.on('end', () => resolve(undefined));
  });
  return { messages, call, ended };
}

/** Options of a raw forward read of a stream from its start. */
export function streamReadOptions(stream: string, count: number, uuid: 'string' | 'structured' = 'string'): ReadReq.Options {
  const uuidOption = new ReadReq.Options.UUIDOption();
  if (uuid === 'string') uuidOption.setString(new Empty());
  else uuidOption.setStructured(new Empty());
  return new ReadReq.Options()
    .setStream(new ReadReq.Options.StreamOptions().setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(stream))).setStart(new Empty()))
    .setCount(String(count))
    .setNoFilter(new Empty())
    .setUuidOption(uuidOption);
}

/** Options of a raw `$all` subscription, optionally filtered. */
export function allSubscriptionOptions(filter?: ReadReq.Options.FilterOptions, from?: { commit: string }): ReadReq.Options {
  const all = new ReadReq.Options.AllOptions();
  if (from) all.setPosition(new ReadReq.Options.Position().setCommitPosition(from.commit).setPreparePosition(from.commit));
  else all.setStart(new Empty());
  const options = new ReadReq.Options()
    .setAll(all)
    .setSubscription(new ReadReq.Options.SubscriptionOptions())
    .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()));
  if (filter) options.setFilter(filter);
  else options.setNoFilter(new Empty());
  return options;
}

/** A compact trace of wire messages, e.g. `['confirmation', 'event:stream-1@0', 'caught_up']`. */
export function trace(messages: readonly ReadResp[]): string[] {
  return messages.map((message) => {
    if (message.hasConfirmation()) return 'confirmation';
    if (message.hasCaughtUp()) return 'caught_up';
    if (message.hasFellBehind()) return 'fell_behind';
    if (message.hasStreamNotFound()) return 'stream_not_found';
    if (message.hasCheckpoint()) return `checkpoint:${message.getCheckpoint()!.getCommitPosition()}`;
    const recorded = message.getEvent()?.getEvent();
    if (!recorded) return 'unknown';
    const stream = Buffer.from(recorded.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
    return `event:${stream}@${recorded.getStreamRevision()}:${recorded.getMetadataMap().get('type')}`;
  });
}
