/**
 * The far end of the raw JetStream ceiling: consumes a request, publishes the reply, waits for
 * JetStream to store it, then acks the request — the least a worker must do to lose nothing, with
 * no Baton code in between. Run by raw-roundtrip.ts as its own process.
 */
import { AckPolicy, connect, type JsMsg } from 'nats';

async function main(): Promise<void> {
  const [url, concurrency] = [process.argv[2]!, Number(process.argv[3] ?? 256)];
  const nc = await connect({ servers: url, noAsyncTraces: true });
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add('BENCH_RAW', { durable_name: 'peer', filter_subject: 'bench.raw.request', ack_policy: AckPolicy.Explicit, max_ack_pending: concurrency * 4 });
  const consumer = await js.consumers.get('BENCH_RAW', 'peer');
  const messages = await consumer.consume({ max_messages: concurrency });
  process.send?.('ready');
  process.once('SIGTERM', () => void nc.drain().then(() => process.exit(0)));
  // Once the driver has its figure it deletes the stream under replies still in flight: those fail, harmlessly.
  for await (const message of messages) reply(js, message).catch(() => undefined);
}

async function reply(js: ReturnType<Awaited<ReturnType<typeof connect>>['jetstream']>, message: JsMsg): Promise<void> {
  await js.publish('bench.raw.reply', message.data);
  message.ack();
}

void main();
