/**
 * `npm run bench [-- --store esdb]`: the order-flow benchmark. On a dedicated local nats-server it
 * first measures the raw JetStream ceiling (publish → consume → reply → consume between two
 * processes, 256 chains), then runs the orchestrator and the five sample services as separate
 * processes and pushes BENCH_ORDERS (10,000) orders with BENCH_IN_FLIGHT (256) in flight.
 *
 * With `--store esdb` it measures SQLite first and then the esdb adapter against the EventStoreDB
 * test server in its own process, on the same NATS server and raw baseline, so the two figures are
 * comparable; the esdb record adds `sqlite_task_executions_per_s` and `esdb_vs_sqlite`.
 * Each measured run prints one line `BENCH {json}`; the last one is the run asked for.
 */
import { NatsServerProcess } from '@app/messaging/testing/nats-server-process';
import { freePort, resetBatonStreams } from '../test/support/stack';
import type { StoreKind } from '../test/support/store-under-test';
import { log, round } from './bench-stats';
import { runOrderFlow, type BenchRecord, type RunSettings } from './order-flow-run';
import { measureRawRoundtrips } from './raw-roundtrip';

function storeArgument(argv: readonly string[]): StoreKind {
  const store = argv.includes('--store') ? argv[argv.indexOf('--store') + 1] : 'sqlite';
  if (store !== 'sqlite' && store !== 'esdb') throw new Error(`--store must be sqlite or esdb, got ${store}`);
  return store;
}

const printRecord = (record: BenchRecord): void => console.log(`BENCH ${JSON.stringify(record)}`);

async function main(): Promise<void> {
  const store = storeArgument(process.argv.slice(2));
  const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 256);
  const rawMs = Number(process.env.BENCH_RAW_MS ?? 10_000);
  const nats = new NatsServerProcess(await freePort());
  await nats.start();
  try {
    log(`raw JetStream ceiling: ${inFlight} chains for ${rawMs} ms…`);
    const raw = await measureRawRoundtrips(nats.url, inFlight, rawMs);
    log(`  ${Math.round(raw)} round trips/s`);
    const settings = (kind: StoreKind): RunSettings => ({
      store: kind,
      natsUrl: nats.url,
      orders: Number(process.env.BENCH_ORDERS ?? 10_000),
      inFlight,
      rawRoundtripsPerS: raw,
      // BENCH_PROFILE_DIR=… writes a V8 CPU profile of each orchestrator there (open it in Chrome DevTools).
      // BENCH_NODE_ARGS=… adds node flags to the orchestrator (to compare GC settings, say).
      orchestratorNodeArgs: [
        ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
        ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ],
      debug: Boolean(process.env.BENCH_DEBUG),
    });

    const sqlite = await runOrderFlow(settings('sqlite'));
    printRecord(sqlite);
    if (store === 'sqlite') return;
    // The esdb run starts from the same empty NATS streams as the SQLite one.
    await resetBatonStreams(nats.url);
    const esdb = await runOrderFlow(settings('esdb'));
    const sqliteRate = Number(sqlite.task_executions_per_s);
    printRecord({ ...esdb, sqlite_task_executions_per_s: sqliteRate, esdb_vs_sqlite: round(Number(esdb.task_executions_per_s) / sqliteRate, 3) });
  } finally {
    await nats.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
