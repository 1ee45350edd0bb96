import { IsInt, IsString, Min } from 'class-validator';
import { headers as natsHeaders, type NatsConnection } from 'nats';
import { type Observable, defer, throwError, timer } from 'rxjs';
import { BatonError } from '@app/domain';
import { DLQ_STREAM, DlqCodes, Headers } from './contract/subjects';
import { ensureStreams } from './jetstream-setup';
import { JetStreamConsumer, type JetStreamConsumerOptions, type JetStreamMessageHandler } from './jetstream-consumer';
import { JetStreamPublisher } from './jetstream-publisher';
import { DeadLetterPublisher } from './dead-letter';
import { closeNats, connectNats } from './nats-connection';
import { MessageCollector } from './testing/message-collector';
import { createTestStream, type TestStream } from './testing/test-stream';
import { waitFor } from '@app/testing/wait-for';
import { uniqueToken } from './testing/unique-token';
import type { ConsumerCounter } from './consumer-metrics';
import { RecordingLogger } from './testing/recording-logger';

// Real servers answer in milliseconds, but a loaded CI machine may need more than Jest's 5 s default.
jest.setTimeout(30_000);

class Order {
  @IsString()
  orderId!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

const encoder = new TextEncoder();

describe('JetStreamConsumer (real NATS)', () => {
  let nc: NatsConnection;
  let stream: TestStream;
  let publisher: JetStreamPublisher;
  let dlq: MessageCollector;
  let logger: RecordingLogger;
  const consumers: JetStreamConsumer<never>[] = [];

  beforeAll(async () => {
    nc = await connectNats({ name: 'consumer-int-spec' });
    await ensureStreams(await nc.jetstreamManager());
    publisher = new JetStreamPublisher(nc);
  });

  beforeEach(async () => {
    logger = new RecordingLogger();
    stream = await createTestStream(nc);
    dlq = await MessageCollector.listen(nc, `baton.dlq.${stream.prefix}.>`);
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop(5_000)));
    dlq.stop();
    await stream.jsm.streams.purge(DLQ_STREAM, { filter: `baton.dlq.${stream.prefix}.>` });
    await stream.dispose();
  });

  afterAll(async () => {
    await closeNats(nc);
  });

  function startConsumer<T>(
    handler: JetStreamMessageHandler<T>,
    options: Partial<JetStreamConsumerOptions<T>> = {},
    connection: NatsConnection = nc,
  ): Promise<JetStreamConsumer<T>> {
    const consumer = new JetStreamConsumer<T>(
      connection,
      {
        stream: stream.name,
        durable: `d-${uniqueToken()}`,
        filterSubject: `${stream.prefix}.in.>`,
        retryBackoff: { initialMs: 20, maxMs: 100 },
        logger,
        ...options,
      },
      handler,
    );
    consumers.push(consumer as unknown as JetStreamConsumer<never>);
    return consumer.start().then(() => consumer);
  }

  const subject = (name = 'orders') => `${stream.prefix}.in.${name}`;
  const consumerInfo = (durable: string) => stream.jsm.consumers.info(stream.name, durable);
  const dlqCount = async () => {
    const info = await stream.jsm.streams.info(DLQ_STREAM, { subjects_filter: `baton.dlq.${stream.prefix}.>` });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  };

  /** Dead-lettered exactly once, never redelivered, gone from the work queue. */
  async function expectDeadLetteredOnce(durable: string, code: string, reasonPart: string): Promise<void> {
    await waitFor('the dead letter', () => dlq.messages.length >= 1);
    await waitFor('the original to be terminated', async () => {
      const info = await consumerInfo(durable);
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
    const info = await consumerInfo(durable);
    expect(info.delivered.consumer_seq).toBe(1);
    expect(info.num_redelivered).toBe(0);
    expect(await dlqCount()).toBe(1);
    const [letter] = dlq.messages;
    expect(letter.subject).toBe(`baton.dlq.${subject()}`);
    expect(letter.headers?.get(Headers.DlqCode)).toBe(code);
    expect(letter.headers?.get(Headers.DlqReason)).toContain(reasonPart);
    expect(letter.headers?.get(Headers.DlqOriginSubject)).toBe(subject());
    expect(letter.headers?.get(Headers.DlqOriginStream)).toBe(stream.name);
    expect(letter.headers?.get(Headers.DlqOriginSequence)).toBe('1');
    expect(letter.headers?.get(Headers.DlqDeliveries)).toBe('1');
    expect(letter.headers?.get(Headers.DlqConsumer)).toBe(durable);
    expect((await stream.jsm.streams.info(stream.name)).state.messages).toBe(0);
  }

  it('acks a message only after its handler has resolved', async () => {
    // given a consumer whose handler waits for a signal
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const consumer = await startConsumer<Order>(async () => {
      started = true;
      await gate;
    });
    const durable = consumer.durable;

    // when a message arrives and the handler is still running
    await publisher.publish(subject(), { orderId: 'o-1', quantity: 1 });
    await waitFor('the handler to start', () => started);

    // then it is not acked yet
    expect((await consumerInfo(durable)).num_ack_pending).toBe(1);

    // when the handler finishes, then the message is acked and leaves the work queue
    release();
    await waitFor('the ack', async () => (await consumerInfo(durable)).num_ack_pending === 0);
    expect((await stream.jsm.streams.info(stream.name)).state.messages).toBe(0);
  });

  it('redelivers a message whose handler threw a retryable error, then acks it', async () => {
    // given a handler that fails on the first delivery only
    const deliveries: number[] = [];
    await startConsumer<Order>((order, ctx) => {
      deliveries.push(ctx.deliveryCount);
      if (ctx.deliveryCount === 1) throw new BatonError<string>('DOWNSTREAM_BUSY', 'try later', { retryable: true });
    });

    // when a message arrives
    await publisher.publish(subject(), { orderId: 'o-2', quantity: 1 });

    // then it is handled again and finally leaves the stream, without any dead letter
    await waitFor('the redelivery', () => deliveries.length === 2);
    await waitFor('the ack', async () => (await stream.jsm.streams.info(stream.name)).state.messages === 0);
    expect(deliveries).toEqual([1, 2]);
    expect(dlq.messages).toHaveLength(0);
  });

  it('treats errors of unknown shape as retryable', async () => {
    const deliveries: number[] = [];
    await startConsumer((_body, ctx) => {
      deliveries.push(ctx.deliveryCount);
      if (ctx.deliveryCount < 3) throw new TypeError('boom');
    });

    await publisher.publish(subject(), { anything: true });

    await waitFor('three deliveries', () => deliveries.length === 3);
    await waitFor('the ack', async () => (await stream.jsm.streams.info(stream.name)).state.messages === 0);
    expect(dlq.messages).toHaveLength(0);
  });

  it('dead-letters undecodable JSON once, without calling the handler', async () => {
    const handler = jest.fn();
    const consumer = await startConsumer(handler);
    const durable = consumer.durable;

    await publisher.publishBytes(subject(), encoder.encode('{"orderId": "o-3",'), { msgId: 'bad-json' });

    await expectDeadLetteredOnce(durable, DlqCodes.DecodeFailed, 'not UTF-8 JSON');
    expect(handler).not.toHaveBeenCalled();
    expect(dlq.messages[0].body).toBe('{"orderId": "o-3",');
    expect(dlq.messages[0].headers?.get(Headers.DlqOriginMsgId)).toBe('bad-json');
  });

  it('dead-letters a body that fails the DTO, naming each field and rule', async () => {
    const handler = jest.fn();
    const consumer = await startConsumer<Order>(handler, { dto: Order });
    const durable = consumer.durable;
    const headers = natsHeaders();
    headers.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');

    await publisher.publish(subject(), { orderId: 7, quantity: 0 }, { headers });

    await expectDeadLetteredOnce(durable, DlqCodes.ValidationFailed, 'orderId: isString');
    expect(dlq.messages[0].headers?.get(Headers.DlqReason)).toContain('quantity: min');
    expect(dlq.messages[0].headers?.get('traceparent')).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(dlq.messages[0].body).toEqual({ orderId: 7, quantity: 0 });
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes a validated DTO instance to the handler', async () => {
    const received: unknown[] = [];
    await startConsumer<Order>((order) => void received.push(order), { dto: Order });

    await publisher.publish(subject(), { orderId: 'o-4', quantity: 2, extra: 'kept' });

    await waitFor('the handler', () => received.length === 1);
    expect(received[0]).toBeInstanceOf(Order);
    expect(received[0]).toMatchObject({ orderId: 'o-4', quantity: 2, extra: 'kept' });
  });

  it('dead-letters an oversize body before parsing it', async () => {
    const handler = jest.fn();
    const consumer = await startConsumer(handler, { maxPayloadBytes: 64 });
    const durable = consumer.durable;

    await publisher.publish(subject(), { padding: 'x'.repeat(200) });

    await expectDeadLetteredOnce(durable, DlqCodes.PayloadTooLarge, 'more than the 64 accepted');
    expect(handler).not.toHaveBeenCalled();
  });

  it('dead-letters on a non-retryable error with the error code, and does not retry', async () => {
    const handler = jest.fn(async () => {
      throw new BatonError('EXECUTION_NOT_FOUND', 'execution 42 does not exist', { retryable: false });
    });
    const consumer = await startConsumer(handler);
    const durable = consumer.durable;

    await publisher.publish(subject(), { executionId: '42' });

    await expectDeadLetteredOnce(durable, 'EXECUTION_NOT_FOUND', 'execution 42 does not exist');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('dead-letters after the last allowed delivery failed', async () => {
    const deliveries: number[] = [];
    await startConsumer(
      (_body, ctx) => {
        deliveries.push(ctx.deliveryCount);
        throw new Error('still broken');
      },
      { maxDeliver: 3 },
    );

    await publisher.publish(subject(), { n: 1 });

    await waitFor('the dead letter', () => dlq.messages.length === 1);
    expect(deliveries).toEqual([1, 2, 3]);
    expect(dlq.messages[0].headers?.get(Headers.DlqCode)).toBe(DlqCodes.MaxDeliveriesExceeded);
    expect(dlq.messages[0].headers?.get(Headers.DlqReason)).toContain('still broken');
    expect(dlq.messages[0].headers?.get(Headers.DlqDeliveries)).toBe('3');
    await waitFor('the term', async () => (await stream.jsm.streams.info(stream.name)).state.messages === 0);
  });

  it('naks instead of dropping when the dead-letter publish fails', async () => {
    // given dead letters go to a subject no stream captures
    const failingDlq = new DeadLetterPublisher(new JetStreamPublisher(nc, { retryForMs: 50 }), (origin) => `nowhere.${uniqueToken()}.${origin}`);
    const seen: number[] = [];
    const consumer = await startConsumer(() => undefined, { deadLetter: failingDlq, maxPayloadBytes: 8 });
    const durable = consumer.durable;

    // when an oversize message arrives
    await publisher.publish(subject(), { padding: 'too long for eight bytes' });

    // then it is redelivered again and again rather than terminated
    await waitFor('a redelivery', async () => {
      const info = await consumerInfo(durable);
      seen.push(info.delivered.consumer_seq);
      return info.num_redelivered >= 1 && info.delivered.consumer_seq >= 2;
    });
    expect((await stream.jsm.streams.info(stream.name)).state.messages).toBe(1);
  });

  it('waits for an observable handler to complete before acking, and retries when it errors', async () => {
    const completions: number[] = [];
    await startConsumer((_body, ctx): Observable<unknown> => {
      if (ctx.deliveryCount === 1) return defer(() => throwError(() => new Error('observable failed')));
      return defer(() => {
        completions.push(ctx.deliveryCount);
        return timer(20);
      });
    });

    await publisher.publish(subject(), { n: 1 });

    await waitFor('the ack', async () => (await stream.jsm.streams.info(stream.name)).state.messages === 0);
    expect(completions).toEqual([2]);
  });

  it('processes messages concurrently, up to the configured limit', async () => {
    let running = 0;
    let peak = 0;
    let done = 0;
    await startConsumer(
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running--;
        done++;
      },
      { concurrency: 4 },
    );

    await Promise.all(Array.from({ length: 20 }, (_, i) => publisher.publish(subject(), { i })));

    await waitFor('all handlers', () => done === 20);
    expect(peak).toBe(4);
  });

  it('splits the load between two consumers bound to the same durable', async () => {
    // given two processes (connections) sharing one durable
    const other = await connectNats({ name: 'consumer-int-spec-2' });
    try {
      const durable = `shared-${uniqueToken()}`;
      const seenBy = { a: new Set<number>(), b: new Set<number>() };
      const slow = (set: Set<number>) => async (body: { i: number }) => {
        set.add(body.i);
        await new Promise((resolve) => setTimeout(resolve, 2));
      };
      await startConsumer(slow(seenBy.a), { durable, concurrency: 4 });
      await startConsumer(slow(seenBy.b), { durable, concurrency: 4 }, other);

      // when 200 messages are published
      await Promise.all(Array.from({ length: 200 }, (_, i) => publisher.publish(subject(), { i })));

      // then each message is handled, and both consumers got a share
      await waitFor('all messages', () => seenBy.a.size + seenBy.b.size >= 200);
      await waitFor('all acks', async () => (await stream.jsm.streams.info(stream.name)).state.messages === 0);
      expect(new Set([...seenBy.a, ...seenBy.b]).size).toBe(200);
      expect(seenBy.a.size).toBeGreaterThan(20);
      expect(seenBy.b.size).toBeGreaterThan(20);
    } finally {
      await Promise.all(consumers.splice(0).map((consumer) => consumer.stop(5_000)));
      await closeNats(other);
    }
  });

  it('binds again when its durable is deleted under it', async () => {
    const received: number[] = [];
    const durable = `recreated-${uniqueToken()}`;
    await startConsumer<{ i: number }>((body) => void received.push(body.i), { durable, pullExpiresMs: 1_000 });
    await publisher.publish(subject(), { i: 1 });
    await waitFor('the first message', () => received.length === 1);

    // when the durable is deleted and more messages arrive
    await stream.jsm.consumers.delete(stream.name, durable);
    await publisher.publish(subject(), { i: 2 });

    // then the consumer recreates the durable and handles them, and says so
    await waitFor('the message published after the deletion', () => received.includes(2), { timeoutMs: 20_000 });
    expect(logger.messages('warn').join('\n')).toContain('binding again');
  });

  it('finishes in-flight handlers on stop and then stops fetching', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    let finished = 0;
    const consumer = await startConsumer(async () => {
      started++;
      await gate;
      finished++;
    });
    await publisher.publish(subject(), { n: 1 });
    await waitFor('the handler to start', () => started === 1);

    // when stopping while the handler runs
    const stopped = consumer.stop(5_000);
    release();

    // then stop waits for it and reports a clean drain
    await expect(stopped).resolves.toBe(true);
    expect(finished).toBe(1);
    await waitFor('the ack of the in-flight message', async () => (await stream.jsm.streams.info(stream.name)).state.messages === 0);

    // and messages published afterwards are left for others
    await publisher.publish(subject(), { n: 2 });
    expect(started).toBe(1);
  });

  it('delivers nothing while paused, and each message once, at its first delivery, after resume', async () => {
    // given a paused consumer
    const deliveries: number[] = [];
    const consumer = await startConsumer((_body, ctx) => void deliveries.push(ctx.deliveryCount));
    consumer.pause();

    // when messages arrive during the pause
    for (let n = 1; n <= 5; n++) await publisher.publish(subject(), { n });
    // (absence can only be observed over a window: a pull would deliver within milliseconds)
    await new Promise((resolve) => setTimeout(resolve, 300));

    // then they wait in the stream until resume, and are then handled once each
    expect({ paused: consumer.paused, deliveries }).toEqual({ paused: true, deliveries: [] });
    consumer.resume();
    await waitFor('the five deliveries', () => deliveries.length === 5);
    await waitFor('the acks', async () => (await stream.jsm.streams.info(stream.name)).state.messages === 0);
    expect(deliveries).toEqual([1, 1, 1, 1, 1]);
  });

  it('spends no delivery attempt while paused for an outage that outlasts the retries', async () => {
    // given a handler whose dependency is down: it pauses its consumer and fails retryably
    let down = true;
    const deliveries: number[] = [];
    const consumer: JetStreamConsumer<unknown> = await startConsumer(
      (_body, ctx) => {
        deliveries.push(ctx.deliveryCount);
        if (!down) return;
        consumer.pause();
        throw new BatonError<string>('DEPENDENCY_DOWN', 'the store is unreachable', { retryable: true });
      },
      { maxDeliver: 3 },
    );

    // when a message fails during an outage far longer than 3 deliveries with a 20-100 ms backoff take
    await publisher.publish(subject(), { n: 1 });
    await waitFor('the pause', () => consumer.paused);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the outage
    down = false;
    consumer.resume();

    // then it is handled once more after resume (the server may not even count the release) and never dead-lettered
    await waitFor('the ack', async () => (await stream.jsm.streams.info(stream.name)).state.messages === 0);
    expect(deliveries).toHaveLength(2);
    expect(Math.max(...deliveries)).toBeLessThanOrEqual(2);
    expect(dlq.messages).toHaveLength(0);
  });

  it('reports received, acked, nacked and dead-lettered counts per subject', async () => {
    const counts: Array<[ConsumerCounter, string]> = [];
    await startConsumer(
      (body: { fail?: string }, ctx) => {
        if (body.fail === 'once' && ctx.deliveryCount === 1) throw new Error('again');
        if (body.fail === 'final') throw new BatonError<string>('NOPE', 'no', { retryable: false });
      },
      { metrics: { count: (counter, subjectName) => counts.push([counter, subjectName]) } },
    );

    await publisher.publish(subject('a'), {});
    await publisher.publish(subject('b'), { fail: 'once' });
    await publisher.publish(subject('c'), { fail: 'final' });

    await waitFor('four outcomes', () => counts.filter(([counter]) => counter !== 'received').length === 4);
    expect(counts.filter(([counter]) => counter === 'received')).toHaveLength(4);
    expect(counts).toEqual(
      expect.arrayContaining([
        ['acked', subject('a')],
        ['nacked', subject('b')],
        ['acked', subject('b')],
        ['dead_lettered', subject('c')],
      ]),
    );
  });

  it('refuses to bind to a durable that does not exist when told not to create it', async () => {
    const consumer = new JetStreamConsumer(nc, { stream: stream.name, durable: `absent-${uniqueToken()}`, filterSubject: subject(), bindOnly: true, logger }, () => undefined);
    await expect(consumer.start()).rejects.toThrow('consumer not found');
  });

  it('refuses to start on a stream that does not exist', async () => {
    const consumer = new JetStreamConsumer(nc, { stream: `MISSING_${uniqueToken()}`, durable: 'x', filterSubject: 'missing.>', logger }, () => undefined);
    await expect(consumer.start()).rejects.toMatchObject({ retryable: false });
  });
});
