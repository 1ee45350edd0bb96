import { fork } from 'node:child_process';
import path from 'node:path';
import { AckPolicy, RetentionPolicy, connect } from 'nats';

/**
 * The physical ceiling of one orchestrated step on this machine: `chains` concurrent loops of
 * publish → other process consumes and publishes a reply → consumed here, which publishes the
 * next request. Like Baton, each side acks a message only after the message it causes is stored
 * (publish acknowledged), all through JetStream file streams. Returns round trips per second.
 */
export async function measureRawRoundtrips(url: string, chains: number, durationMs: number): Promise<number> {
  const nc = await connect({ servers: url, noAsyncTraces: true });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: 'BENCH_RAW', subjects: ['bench.raw.>'], retention: RetentionPolicy.Workqueue });
  await jsm.consumers.add('BENCH_RAW', { durable_name: 'driver', filter_subject: 'bench.raw.reply', ack_policy: AckPolicy.Explicit, max_ack_pending: chains * 4 });
  const peer = fork(path.join(__dirname, 'raw-roundtrip-peer.js'), [url, String(chains)], { stdio: 'inherit' });
  await new Promise<void>((resolve) => peer.once('message', () => resolve()));

  const js = nc.jetstream();
  const consumer = await js.consumers.get('BENCH_RAW', 'driver');
  const messages = await consumer.consume({ max_messages: chains });
  const payload = new TextEncoder().encode(JSON.stringify({ taskId: 'x'.repeat(40), status: 'COMPLETED', output: { ok: true, n: 1 }, workerId: 'bench' }));
  let completed = 0;
  let measuring = false;
  const started = Date.now();
  const warmupMs = Math.min(2_000, durationMs / 4);
  let measureStart = 0;
  for (let i = 0; i < chains; i += 1) void js.publish('bench.raw.request', payload);
  const done = new Promise<number>((resolve) => {
    void (async () => {
      for await (const message of messages) {
        const now = Date.now();
        if (!measuring && now - started >= warmupMs) {
          measuring = true;
          measureStart = now;
          completed = 0;
        }
        completed += 1;
        if (measuring && now - measureStart >= durationMs) {
          resolve((completed / (now - measureStart)) * 1000);
          return;
        }
        // Requests still in flight when the stream is deleted below fail: nothing to do about them.
        js.publish('bench.raw.request', payload).then(() => message.ack(), () => undefined);
      }
    })();
  });
  const rate = await done;
  peer.kill('SIGTERM');
  await jsm.streams.delete('BENCH_RAW');
  await nc.close();
  return rate;
}
