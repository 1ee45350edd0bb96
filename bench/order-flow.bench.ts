/**
 * `npm run bench [-- --store esdb]`: the order-flow benchmark. On a dedicated local nats-server it
 * first measures the raw JetStream ceiling (publish → consume → reply → consume between two
 * processes, 256 chains), then runs the orchestrator and the five sample services as separate
 * processes and pushes BENCH_ORDERS (10,000) orders with 256 in flight. Ends with one line
 * `BENCH {json}`.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, JSONCodec } from 'nats';
import { sampleOrder } from '@app/samples';
import { NatsServerProcess } from '@app/messaging/testing/nats-server-process';
import { startNode, type ChildHandle } from '../test/support/child-process';
import { freePort, startOrchestrator, startSampleServices, stopAll, tempDir } from '../test/support/stack';
import { measureRawRoundtrips } from './raw-roundtrip';

const REJECT_EVERY = 5;
/** Worker (SIMPLE) tasks per order: accepted ones run 6, rejected ones 4. */
const workerTasksOf = (n: number): number => (n % REJECT_EVERY === 0 ? 4 : 6);

const argv = process.argv.slice(2);
const store = argv.includes('--store') ? argv[argv.indexOf('--store') + 1] : 'sqlite';
const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 256);
const RAW_MS = Number(process.env.BENCH_RAW_MS ?? 10_000);

const log = (line: string) => process.stderr.write(`${line}\n`);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Peak resident set size of a process, from the kernel's high-water mark. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

/** Quantile of a prom-client summary from /metrics text. */
function summaryQuantile(metrics: string, name: string, quantile: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`quantile="${quantile}"`));
  return line ? Number(line.split(' ').pop()) : undefined;
}

async function main(): Promise<void> {
  if (store !== 'sqlite' && store !== 'esdb') throw new Error(`--store must be sqlite or esdb, got ${store}`);
  const nats = new NatsServerProcess(await freePort());
  await nats.start();
  const dir = tempDir(`bench-${store}`);
  const handles: ChildHandle[] = [];
  try {
    log(`raw JetStream ceiling: ${IN_FLIGHT} chains for ${RAW_MS} ms…`);
    const raw = await measureRawRoundtrips(nats.url, IN_FLIGHT, RAW_MS);
    log(`  ${Math.round(raw)} round trips/s`);

    const env: Record<string, string> = { BATON_NATS_URL: nats.url, BATON_LOG_LEVEL: 'warn' };
    // BENCH_PROFILE_DIR=… writes a V8 CPU profile of the orchestrator there (open it in Chrome DevTools).
    const nodeArgs = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    if (store === 'esdb') {
      const port = await freePort();
      const esdb = startNode('esdb-test-server', 'scripts/esdb-test-server.js', { logDir: path.join(dir, 'logs'), args: ['--port', String(port)] });
      handles.push(esdb);
      await esdb.waitForLine(/listening on esdb:/);
      env.BATON_EVENT_STORE = `esdb://127.0.0.1:${port}?tls=false`;
    }
    const orchestrator = await startOrchestrator({ dataDir: dir, env, nodeArgs });
    handles.push(orchestrator.handle);
    handles.push(
      ...(await startSampleServices({
        apiUrl: orchestrator.api.baseUrl,
        logDir: path.join(dir, 'logs'),
        env: { BATON_NATS_URL: nats.url, SAMPLE_CONCURRENCY: String(IN_FLIGHT), PAYMENT_CONFIRM_DELAY_MS: '0' },
      })),
    );
    await orchestrator.api.registerSampleFlow();

    const nc = await connect({ servers: nats.url, noAsyncTraces: true });
    const codec = JSONCodec<{ executionId: string; status: string }>();
    const startedAt = new Map<string, number>();
    const latencies: number[] = [];
    const slow: { id: string; ms: number }[] = [];
    const statuses = new Map<string, number>();
    let onEnded: () => void = () => undefined;
    nc.subscribe('baton.execution.>', {
      callback: (error, message) => {
        if (error) return;
        const { executionId, status } = codec.decode(message.data);
        const started = startedAt.get(executionId);
        if (started === undefined) return;
        startedAt.delete(executionId);
        latencies.push(performance.now() - started);
        if (performance.now() - started > 5_000) slow.push({ id: executionId, ms: performance.now() - started });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        onEnded();
      },
    });
    await nc.flush();

    log(`Baton on ${store}: ${ORDERS} orders, ${IN_FLIGHT} in flight…`);
    const begin = performance.now();
    let next = 1;
    let workerTasks = 0;
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      const launch = () => {
        while (inFlight < IN_FLIGHT && next <= ORDERS) {
          const n = next++;
          inFlight += 1;
          workerTasks += workerTasksOf(n);
          const sent = performance.now();
          orchestrator.api
            .startOrder(sampleOrder(n, { rejectEvery: REJECT_EVERY, prefix: 'bench' }))
            .then((id) => startedAt.set(id, sent))
            .catch(reject);
        }
      };
      onEnded = () => {
        inFlight -= 1;
        if (latencies.length === ORDERS) resolve();
        else launch();
        if (latencies.length % 1000 === 0) log(`  ${latencies.length} done`);
      };
      launch();
    });
    const seconds = (performance.now() - begin) / 1000;
    const metrics = (await orchestrator.api.request('GET', '/metrics')).text;
    if (process.env.BENCH_DEBUG) {
      const lines = metrics.split('\n').filter((l) => /^baton_(commands_total|inbound_messages_total|publish_retries|http_request_duration_seconds_(sum|count))/.test(l));
      log(lines.join('\n'));
      const s = [...latencies].sort((a, b) => a - b);
      log(`latency p90 ${percentile(s, 90)} p95 ${percentile(s, 95)} max ${s[s.length - 1]}`);
      for (const { id, ms } of slow.slice(0, 5)) {
        const w = (await orchestrator.api.request('GET', `/api/workflow/${id}`)).json() as { createTime: number; tasks: { referenceTaskName: string; scheduledTime: number; endTime: number }[] };
        log(`${id} ${Math.round(ms)} ms: ${w.tasks.map((t) => `${t.referenceTaskName}@${t.scheduledTime - w.createTime}-${t.endTime - w.createTime}`).join(' ')}`);
      }
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const taskRate = workerTasks / seconds;
    const result = {
      store,
      orders: ORDERS,
      in_flight: IN_FLIGHT,
      completed: statuses.get('COMPLETED') ?? 0,
      terminated: statuses.get('TERMINATED') ?? 0,
      failed: statuses.get('FAILED') ?? 0,
      duration_s: Math.round(seconds * 10) / 10,
      executions_per_s: Math.round((ORDERS / seconds) * 10) / 10,
      task_executions_per_s: Math.round(taskRate),
      p50_ms: Math.round(percentile(sorted, 50) * 10) / 10,
      p99_ms: Math.round(percentile(sorted, 99) * 10) / 10,
      raw_roundtrips_per_s: Math.round(raw),
      ratio: Math.round((taskRate / raw) * 1000) / 1000,
      orchestrator_peak_rss_mb: peakRssMb(orchestrator.handle.process.pid!),
      store_append_p50_ms: Math.round((summaryQuantile(metrics, 'baton_store_append_duration_seconds', '0.5') ?? 0) * 100_000) / 100,
      store_append_p99_ms: Math.round((summaryQuantile(metrics, 'baton_store_append_duration_seconds', '0.99') ?? 0) * 100_000) / 100,
      cpus: os.cpus().length,
      node: process.version,
    };
    await nc.close();
    console.log(`BENCH ${JSON.stringify(result)}`);
  } finally {
    await stopAll(handles.reverse());
    await nats.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
