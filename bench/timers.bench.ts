/**
 * `npm run bench:timers`: 100,000 durable timers due over 60 s; how late does each fire?
 *
 * The histories are written straight into a fresh SQLite event store (100k executions started
 * through HTTP would take longer than the window): each execution is a one-WAIT workflow whose
 * timer is due at T0 + i·60 s/100k. Then the orchestrator starts as its own process on a
 * dedicated nats-server, catches its read model up (timed), and fires the timers. The bench
 * follows TimerFired events in the store and samples the orchestrator's RSS. Lateness =
 * TimerFired.at − dueAt. Last line: `BENCH {json}`.
 *
 * BENCH_TIMERS (100000), BENCH_SPAN_MS (60000), BENCH_LEAD_MS (time from the start of the bench to
 * T0, 90000: writing, start-up and read-model catch-up must fit in it), BENCH_PROFILE_DIR (CPU profile),
 * BENCH_NODE_ARGS (extra node flags for the orchestrator, e.g. to try GC settings), BENCH_KEEP_DIR
 * (keep the data directory with the store and the orchestrator's log; deleted otherwise).
 */
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { executionIdOfStream } from '@app/domain';
import { SqliteEventStore, type Position } from '@app/event-store';
import { NatsServerProcess } from '@app/messaging/testing/nats-server-process';
import { BatonApi } from '../test/support/baton-api';
import { startNode, type ChildHandle } from '../test/support/child-process';
import { ORCHESTRATOR_NODE_FLAGS, freePort, tempDir } from '../test/support/stack';
import { waitFor } from '@app/testing/wait-for';
import { log, peakRssMb, percentile, round } from './bench-stats';
import { writeTimerHistories } from './timer-histories';

const TIMERS = Number(process.env.BENCH_TIMERS ?? 100_000);
const SPAN_MS = Number(process.env.BENCH_SPAN_MS ?? 60_000);
const LEAD_MS = Number(process.env.BENCH_LEAD_MS ?? 90_000);

/** Current resident set size of a process, in MB. */
function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

/** The orchestrator's event-loop delay since the last scrape (prom-client's default metrics), for the progress log. */
async function eventLoopDelay(api: BatonApi): Promise<string> {
  const metrics = (await api.request('GET', '/metrics')).text;
  const value = (name: string) => Number(metrics.split('\n').find((line) => line.startsWith(`${name} `))?.split(' ')[1] ?? NaN) * 1000;
  const heapMb = (space: string) => Math.round(Number(metrics.split('\n').find((line) => line.startsWith(`baton_nodejs_heap_space_size_used_bytes{space="${space}"}`))?.split(' ')[1] ?? NaN) / 1048576);
  return `p99 ${Math.round(value('baton_nodejs_eventloop_lag_p99_seconds'))} ms, max ${Math.round(value('baton_nodejs_eventloop_lag_max_seconds'))} ms; heap used ${Math.round(value('baton_nodejs_heap_size_used_bytes') / 1000 / 1048576)} MB (old ${heapMb('old')}, new ${heapMb('new')}) of ${Math.round(value('baton_nodejs_heap_size_total_bytes') / 1000 / 1048576)} MB`;
}

/** Follows TimerFired events in the store: execution id → TimerFired.at. */
class FiredTimers {
  readonly firedAt = new Map<string, number>();
  private from: Position | 'start' = 'start';

  constructor(private readonly store: SqliteEventStore) {}

  async poll(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ fromPosition: this.from, maxCount: 4_096, filter: { eventTypePrefixes: ['TimerFired'] } });
      const fresh = this.from === 'start' ? page : page.filter((event) => event.position.commit > (this.from as Position).commit);
      for (const event of fresh) this.firedAt.set(executionIdOfStream(event.streamName)!, Number((event.data as { at: number }).at));
      if (page.length > 0) this.from = page[page.length - 1]!.position;
      if (page.length < 4_096) return;
    }
  }
}

async function main(): Promise<void> {
  const benchStart = Date.now();
  const loadBefore = os.loadavg()[0]!;
  const t0 = benchStart + LEAD_MS;
  const dir = tempDir('bench-timers');
  const storeFile = path.join(dir, 'events.db');
  const nats = new NatsServerProcess(await freePort());
  await nats.start();
  let store: SqliteEventStore | undefined;
  let orchestrator: ChildHandle | undefined;
  try {
    log(`writing ${TIMERS} executions with a WAIT timer due over ${SPAN_MS / 1000} s from T0 = start + ${LEAD_MS / 1000} s…`);
    const writer = new SqliteEventStore({ path: storeFile });
    const dueAt = await writeTimerHistories(writer, { count: TIMERS, t0, spanMs: SPAN_MS });
    // Closing checkpoints the write-ahead log into the database, as time would have for histories this old.
    await writer.close();
    const written = Date.now();
    log(`  written in ${round((written - benchStart) / 1000)} s`);

    const port = await freePort();
    orchestrator = startNode('orchestrator', 'apps/orchestrator/src/main.js', {
      logDir: path.join(dir, 'logs'),
      nodeArgs: [...ORCHESTRATOR_NODE_FLAGS, ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)],
      env: {
        BATON_HTTP_PORT: String(port),
        BATON_HTTP_HOST: '127.0.0.1',
        BATON_DATA_DIR: dir,
        BATON_EVENT_STORE: `sqlite:${storeFile}`,
        BATON_NATS_URL: nats.url,
        BATON_LOG_LEVEL: 'warn',
        BATON_INSTANCE_ID: 'bench-timers',
      },
    });
    const pid = orchestrator.process.pid!;
    let maxRss = 0;
    const sampler = setInterval(() => {
      try {
        maxRss = Math.max(maxRss, rssMb(pid));
      } catch {
        // exited
      }
    }, 200);
    const api = new BatonApi(`http://127.0.0.1:${port}`);
    const handle = orchestrator;
    await waitFor('the orchestrator to be ready (read model caught up)', async () => {
      if (!handle.running) throw new Error(`exited early; see ${handle.logFile}`);
      return api.healthy();
    }, { timeoutMs: Math.max(30_000, t0 - Date.now() + 60_000), intervalMs: 100 });
    const ready = Date.now();
    log(`  orchestrator ready ${round((ready - written) / 1000)} s after the write (start-up + catch-up of ${TIMERS * 3} events); T0 in ${round((t0 - ready) / 1000)} s`);
    if (ready > t0) log('  WARNING: ready after T0 — the first timers are late because of start-up; raise BENCH_LEAD_MS');

    store = new SqliteEventStore({ path: storeFile });
    const fired = new FiredTimers(store);
    const deadline = t0 + SPAN_MS + 120_000;
    let lastReport = 0;
    await waitFor(`all ${TIMERS} timers to fire`, async () => {
      await fired.poll().catch((error: unknown) => log(`  reading TimerFired events failed (retrying): ${String(error)}`));
      if (Date.now() - lastReport >= 5_000 && Date.now() > t0 - 20_000) {
        lastReport = Date.now();
        log(`  ${fired.firedAt.size} fired, RSS ${Math.round(rssMb(pid))} MB, event-loop delay ${await eventLoopDelay(api)}`);
      }
      return fired.firedAt.size >= TIMERS;
    }, { timeoutMs: deadline - Date.now(), intervalMs: 500 });
    clearInterval(sampler);

    const lateness = [...fired.firedAt].map(([executionId, at]) => at - dueAt.get(executionId)!).sort((a, b) => a - b);
    const result = {
      timers: TIMERS,
      span_s: SPAN_MS / 1000,
      lateness_p50_ms: percentile(lateness, 50),
      lateness_p99_ms: percentile(lateness, 99),
      lateness_max_ms: lateness[lateness.length - 1] ?? 0,
      lateness_min_ms: lateness[0] ?? 0,
      late_over_1s: lateness.filter((ms) => ms > 1_000).length,
      peak_rss_mb: round(Math.max(maxRss, peakRssMb(pid))),
      ready_after_write_s: round((ready - written) / 1000),
      write_s: round((written - benchStart) / 1000),
      cpus: os.cpus().length,
      // Other work on the machine skews the figures: the 1-minute load average before and after.
      load_before: round(loadBefore, 2),
      load_after: round(os.loadavg()[0]!, 2),
      node: process.version,
    };
    console.log(`BENCH ${JSON.stringify(result)}`);
  } finally {
    await orchestrator?.stop();
    await store?.close();
    await nats.dispose();
    // The store of 100k histories is about half a gigabyte.
    if (process.env.BENCH_KEEP_DIR) log(`data and logs kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
