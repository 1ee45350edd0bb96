import type { NatsConnection } from 'nats';
import { MessagingErrorCodes, PublishError } from './messaging.errors';
import { JetStreamPublisher } from './jetstream-publisher';
import { closeNats, connectNats } from './nats-connection';
import { createTestStream, type TestStream } from './testing/test-stream';
import { uniqueToken } from './testing/unique-token';

// Real servers answer in milliseconds, but a loaded CI machine may need more than Jest's 5 s default.
jest.setTimeout(30_000);

describe('JetStreamPublisher (real NATS)', () => {
  let nc: NatsConnection;
  let stream: TestStream;

  beforeAll(async () => {
    nc = await connectNats({ name: 'publisher-int-spec' });
  });

  beforeEach(async () => {
    stream = await createTestStream(nc);
  });

  afterEach(async () => {
    await stream.dispose();
  });

  afterAll(async () => {
    await closeNats(nc);
  });

  it('stores a message once when it is published twice with the same Msg-Id', async () => {
    // given a publisher
    const publisher = new JetStreamPublisher(nc);

    // when the same command is published twice under one id
    const first = await publisher.publish(`${stream.prefix}.cmd`, { taskId: 't-1' }, { msgId: 't-1' });
    const second = await publisher.publish(`${stream.prefix}.cmd`, { taskId: 't-1' }, { msgId: 't-1' });

    // then the stream keeps one copy and says the second was a duplicate
    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, seq: first.seq });
    expect((await stream.jsm.streams.info(stream.name)).state.messages).toBe(1);
  });

  it('carries the Msg-Id, traceparent and extra headers, and the JSON body', async () => {
    const publisher = new JetStreamPublisher(nc);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

    const ack = await publisher.publish(`${stream.prefix}.cmd`, { a: 1 }, { msgId: 'm-1', traceparent, headers: { 'Baton-Actor': 'test' } });

    const stored = await stream.jsm.streams.getMessage(stream.name, { seq: ack.seq });
    expect(stored.header.get('Nats-Msg-Id')).toBe('m-1');
    expect(stored.header.get('traceparent')).toBe(traceparent);
    expect(stored.header.get('Baton-Actor')).toBe('test');
    expect(stored.json()).toEqual({ a: 1 });
  });

  it('keeps many publishes in flight but never more than the bound', async () => {
    // given a publisher bounded to 32 publishes in flight
    const publisher = new JetStreamPublisher(nc, { maxInFlight: 32 });
    let peak = 0;

    // when 2,000 are started at once
    const acks = Array.from({ length: 2_000 }, (_, i) => {
      const ack = publisher.publish(`${stream.prefix}.bulk`, { i }, { msgId: `bulk-${i}` });
      peak = Math.max(peak, publisher.inFlight);
      return ack;
    });
    const results = await Promise.all(acks);

    // then all are stored, and the bound held
    expect(new Set(results.map((ack) => ack.seq)).size).toBe(2_000);
    expect(peak).toBe(32);
    expect(publisher.inFlight).toBe(0);
  });

  it('retries while nobody stores the subject, then fails with a retryable error', async () => {
    const publisher = new JetStreamPublisher(nc, { retryForMs: 300, backoff: { initialMs: 20, maxMs: 50 } });

    const failure = await publisher.publish(`nowhere.${uniqueToken()}`, { a: 1 }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PublishError);
    expect(failure).toMatchObject({ code: MessagingErrorCodes.PublishNoResponders, retryable: true });
    expect((failure as PublishError).details.attempts).toBeGreaterThan(1);
  });

  it('fails at once, not retryable, when the message is larger than the server accepts', async () => {
    const publisher = new JetStreamPublisher(nc);
    const tooLarge = 'x'.repeat(nc.info!.max_payload + 1);

    await expect(publisher.publish(`${stream.prefix}.big`, { tooLarge })).rejects.toMatchObject({
      code: MessagingErrorCodes.PublishTooLarge,
      retryable: false,
    });
  });

  it('fails at once, not retryable, when the body cannot be encoded', async () => {
    const publisher = new JetStreamPublisher(nc);
    const circular: Record<string, unknown> = {};
    circular.self = circular;

    await expect(publisher.publish(`${stream.prefix}.bad`, circular)).rejects.toMatchObject({
      code: MessagingErrorCodes.PublishEncodeFailed,
      retryable: false,
    });
  });
});
