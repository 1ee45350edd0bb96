import type { NatsConnection } from 'nats';
import { JetStreamConsumer } from './jetstream-consumer';
import { JetStreamPublisher } from './jetstream-publisher';
import { closeNats, connectNats } from './nats-connection';
import { NatsServerProcess } from './testing/nats-server-process';
import { RecordingLogger } from './testing/recording-logger';
import { createTestStream, type TestStream } from './testing/test-stream';
import { waitFor } from '@app/testing/wait-for';

// Real servers answer in milliseconds, but a loaded CI machine may need more than Jest's 5 s default.
jest.setTimeout(30_000);

describe('consuming across a NATS server crash (own nats-server)', () => {
  const server = new NatsServerProcess(14_222 + Math.floor(Math.random() * 700));
  let consumerConnection: NatsConnection;
  let publisherConnection: NatsConnection;
  let stream: TestStream;

  beforeAll(async () => {
    await server.start();
    const fastReconnect = { reconnectTimeWait: 100 };
    consumerConnection = await connectNats({ url: server.url, name: 'restart-consumer', connectionOptions: fastReconnect });
    publisherConnection = await connectNats({ url: server.url, name: 'restart-publisher', connectionOptions: fastReconnect });
    stream = await createTestStream(publisherConnection);
  });

  afterAll(async () => {
    await closeNats(consumerConnection, { drain: false });
    await closeNats(publisherConnection, { drain: false });
    await server.dispose();
  });

  it('loses no message when the server is killed and restarted mid-stream', async () => {
    // given a consumer handling a stream of 2,000 messages as they are published
    const total = 2_000;
    const handled = new Set<number>();
    let deliveries = 0;
    const logger = new RecordingLogger();
    const consumer = new JetStreamConsumer<{ i: number }>(
      consumerConnection,
      { stream: stream.name, durable: 'survivor', filterSubject: `${stream.prefix}.>`, concurrency: 32, ackWaitMs: 5_000, logger },
      (body) => {
        deliveries++;
        handled.add(body.i);
      },
    );
    await consumer.start();
    const publisher = new JetStreamPublisher(publisherConnection, { maxInFlight: 64, retryForMs: 30_000 });

    // when the server is killed (SIGKILL) after a quarter of them, and started again on the same store
    const published: Array<Promise<unknown>> = [];
    for (let i = 0; i < total; i++) {
      published.push(publisher.publish(`${stream.prefix}.work`, { i }, { msgId: `work-${i}` }));
      if (i === total / 4) {
        await waitFor('some messages handled before the crash', () => handled.size > 0);
        await server.kill('SIGKILL');
        await server.start();
      }
    }
    await Promise.all(published);

    // then every message was handled at least once (duplicates are allowed, losses are not)
    await waitFor(`all ${total} messages handled`, () => handled.size === total, { timeoutMs: 45_000 });
    expect(deliveries).toBeGreaterThanOrEqual(total);
    await waitFor('every message acked', async () => (await stream.jsm.streams.info(stream.name)).state.messages === 0, { timeoutMs: 20_000 });
    await consumer.stop(5_000);
  }, 90_000);
});
