import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload, RpcException } from '@nestjs/microservices';
import { IsString } from 'class-validator';
import { firstValueFrom, timer, map, type Observable } from 'rxjs';
import type { NatsConnection } from 'nats';
import { BatonError } from '@app/domain';
import { DLQ_STREAM, DlqCodes, Headers } from './contract/subjects';
import type { ConsumerCounter } from './consumer-metrics';
import { JetStreamExceptionFilter } from './jetstream-exception.filter';
import type { JetStreamPatternExtras } from './jetstream-pattern.extras';
import { JetStreamPublisher } from './jetstream-publisher';
import { JETSTREAM_TRANSPORT, JetStreamTransport } from './jetstream.transport';
import { JetStreamMessageContext } from './message.context';
import { closeNats, connectNats } from './nats-connection';
import { MessageCollector } from './testing/message-collector';
import { RecordingLogger } from './testing/recording-logger';
import { createTestStream, type TestStream } from './testing/test-stream';
import { waitFor } from '@app/testing/wait-for';

// Real servers answer in milliseconds, but a loaded CI machine may need more than Jest's 5 s default.
jest.setTimeout(30_000);

class PaymentEvent {
  @IsString()
  paymentId!: string;

  @IsString()
  outcome!: string;
}

interface Seen {
  payload: unknown;
  context: JetStreamMessageContext;
}

/** Builds a controller bound to this run's subjects (decorators need them at class definition). */
function paymentsController(stream: TestStream, seen: Seen[]) {
  const extras = (name: string): JetStreamPatternExtras => ({
    stream: stream.name,
    durable: `payments-${name}`,
    dto: PaymentEvent,
    retryBackoff: { initialMs: 20, maxMs: 100 },
  });

  @Controller()
  class PaymentsController {
    @EventPattern(`${stream.prefix}.payments.>`, extras('main'))
    async onPayment(@Payload() event: PaymentEvent, @Ctx() context: JetStreamMessageContext): Promise<void> {
      seen.push({ payload: event, context });
      if (event.outcome === 'not-found') throw new BatonError<string>('PAYMENT_NOT_FOUND', `payment ${event.paymentId} does not exist`, { retryable: false });
      if (event.outcome === 'flaky' && context.deliveryCount === 1) throw new BatonError<string>('GATEWAY_BUSY', 'busy', { retryable: true });
    }

    @EventPattern(`${stream.prefix}.refunds.>`, JETSTREAM_TRANSPORT, extras('refunds'))
    onRefund(@Payload() event: PaymentEvent, @Ctx() context: JetStreamMessageContext): Observable<void> {
      return timer(30).pipe(map(() => void seen.push({ payload: event, context })));
    }

    @EventPattern('not.jetstream')
    ignored(): void {
      throw new Error('a pattern without a durable must not be consumed');
    }
  }
  return PaymentsController;
}

describe('JetStreamTransport in a Nest microservice (real NATS)', () => {
  let nc: NatsConnection;
  let stream: TestStream;
  let app: INestMicroservice;
  let publisher: JetStreamPublisher;
  let dlq: MessageCollector;
  let transport: JetStreamTransport;
  const seen: Seen[] = [];
  const counts: Array<[ConsumerCounter, string, string]> = [];
  const logger = new RecordingLogger();

  beforeAll(async () => {
    nc = await connectNats({ name: 'transport-int-spec' });
    stream = await createTestStream(nc);
    publisher = new JetStreamPublisher(nc);
    dlq = await MessageCollector.listen(nc, `baton.dlq.${stream.prefix}.>`);

    @Module({ controllers: [paymentsController(stream, seen)] })
    class PaymentsModule {}

    transport = new JetStreamTransport({ name: 'transport-int-spec-app', logger, metrics: { count: (...args) => counts.push(args) } });
    app = await NestFactory.createMicroservice(PaymentsModule, { strategy: transport, logger: false });
    app.useGlobalFilters(new JetStreamExceptionFilter());
    await app.listen();
  });

  afterAll(async () => {
    await app?.close();
    dlq.stop();
    await stream.jsm.streams.purge(DLQ_STREAM, { filter: `baton.dlq.${stream.prefix}.>` });
    await stream.dispose();
    await closeNats(nc);
  });

  beforeEach(() => {
    seen.length = 0;
    counts.length = 0;
    dlq.messages.length = 0;
  });

  const streamEmpty = async () => (await stream.jsm.streams.info(stream.name)).state.messages === 0;

  it('delivers a validated payload and a JetStream context to an @EventPattern method, then acks', async () => {
    await publisher.publish(`${stream.prefix}.payments.card`, { paymentId: 'p-1', outcome: 'ok' }, { msgId: 'p-1:ok' });

    await waitFor('the handler', () => seen.length === 1);
    await waitFor('the ack', streamEmpty);
    expect(seen[0].payload).toBeInstanceOf(PaymentEvent);
    expect(seen[0].context).toBeInstanceOf(JetStreamMessageContext);
    expect(seen[0].context).toMatchObject({ subject: `${stream.prefix}.payments.card`, msgId: 'p-1:ok', deliveryCount: 1, durable: 'payments-main' });
    expect(counts).toEqual(
      expect.arrayContaining([
        ['received', `${stream.prefix}.payments.card`, 'payments-main'],
        ['acked', `${stream.prefix}.payments.card`, 'payments-main'],
      ]),
    );
  });

  it('redelivers after a retryable error thrown by the handler', async () => {
    await publisher.publish(`${stream.prefix}.payments.card`, { paymentId: 'p-2', outcome: 'flaky' });

    await waitFor('the redelivery', () => seen.length === 2);
    await waitFor('the ack', streamEmpty);
    expect(seen.map((entry) => entry.context.deliveryCount)).toEqual([1, 2]);
    expect(dlq.messages).toHaveLength(0);
  });

  it('dead-letters after a non-retryable error, with the error code, without redelivery', async () => {
    await publisher.publish(`${stream.prefix}.payments.card`, { paymentId: 'p-3', outcome: 'not-found' });

    await waitFor('the dead letter', () => dlq.messages.length === 1);
    await waitFor('the term', streamEmpty);
    expect(seen).toHaveLength(1);
    expect(dlq.messages[0].headers?.get(Headers.DlqCode)).toBe('PAYMENT_NOT_FOUND');
    expect(dlq.messages[0].headers?.get(Headers.DlqReason)).toBe('payment p-3 does not exist');
    expect(counts.map(([counter]) => counter)).toContain('dead_lettered');
  });

  it('dead-letters an invalid payload without calling the handler', async () => {
    await publisher.publish(`${stream.prefix}.payments.card`, { paymentId: 42 });

    await waitFor('the dead letter', () => dlq.messages.length === 1);
    expect(seen).toHaveLength(0);
    expect(dlq.messages[0].headers?.get(Headers.DlqCode)).toBe(DlqCodes.ValidationFailed);
    expect(dlq.messages[0].headers?.get(Headers.DlqReason)).toContain('paymentId: isString');
    expect(dlq.messages[0].headers?.get(Headers.DlqReason)).toContain('outcome: isString');
  });

  it('acks an observable handler only once the observable completed', async () => {
    await publisher.publish(`${stream.prefix}.refunds.card`, { paymentId: 'r-1', outcome: 'ok' });

    await waitFor('the ack', streamEmpty);
    expect(seen).toHaveLength(1);
    expect(seen[0].context.durable).toBe('payments-refunds');
  });

  it('leaves patterns without a durable alone, reports its status, and exposes the connection', async () => {
    expect(logger.messages('warn').join('\n')).toContain('pattern "not.jetstream" has no durable');
    await expect(firstValueFrom(transport.status)).resolves.toBe('connected');
    expect(transport.unwrap<NatsConnection>().isClosed()).toBe(false);
  });
});

describe('JetStreamTransport without JetStreamExceptionFilter', () => {
  it('still dead-letters an RpcException that says it is not retryable, and retries anything else', async () => {
    const nc = await connectNats({ name: 'transport-int-spec-nofilter' });
    const stream = await createTestStream(nc);
    const dlq = await MessageCollector.listen(nc, `baton.dlq.${stream.prefix}.>`);
    const deliveries: string[] = [];

    @Controller()
    class StrictController {
      @EventPattern(`${stream.prefix}.jobs.>`, { stream: stream.name, durable: 'jobs', retryBackoff: { initialMs: 20, maxMs: 50 } } satisfies JetStreamPatternExtras)
      onJob(@Payload() job: { kind: string }, @Ctx() context: JetStreamMessageContext): void {
        deliveries.push(`${job.kind}#${context.deliveryCount}`);
        if (job.kind === 'final') throw new RpcException({ code: 'JOB_REJECTED', retryable: false, message: 'rejected for good' });
        if (context.deliveryCount === 1) throw new Error('transient');
      }
    }
    @Module({ controllers: [StrictController] })
    class StrictModule {}

    const app = await NestFactory.createMicroservice(StrictModule, {
      strategy: new JetStreamTransport({ connection: nc, logger: new RecordingLogger() }),
      logger: false,
    });
    await app.listen();
    try {
      const publisher = new JetStreamPublisher(nc);
      await publisher.publish(`${stream.prefix}.jobs.a`, { kind: 'final' });
      await publisher.publish(`${stream.prefix}.jobs.b`, { kind: 'retry' });

      await waitFor('the dead letter and the retry', () => dlq.messages.length === 1 && deliveries.includes('retry#2'));
      expect(dlq.messages[0].headers?.get(Headers.DlqCode)).toBe('JOB_REJECTED');
      expect(deliveries.filter((entry) => entry.startsWith('final'))).toEqual(['final#1']);
    } finally {
      await app.close();
      dlq.stop();
      await stream.jsm.streams.purge(DLQ_STREAM, { filter: `baton.dlq.${stream.prefix}.>` });
      await stream.dispose();
      expect(nc.isClosed()).toBe(false);
      await closeNats(nc);
    }
  });
});
