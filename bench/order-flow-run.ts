import os from 'node:os';
import path from 'node:path';
import type { ChildHandle } from '../test/support/child-process';
import { summaryQuantile } from '../test/support/prometheus-text';
import { startOrchestrator, startSampleServices, stopAll, tempDir, type OrchestratorProcess } from '../test/support/stack';
import { provideStore, type StoreKind } from '../test/support/store-under-test';
import { cpuSeconds, log, peakRssMb, percentile, round } from './bench-stats';
import { driveOrders, type DriveResult } from './order-driver';

/** Settings of one measured run. */
export interface RunSettings {
  readonly store: StoreKind;
  readonly natsUrl: string;
  readonly orders: number;
  readonly inFlight: number;
  /** Round trips per second of the raw JetStream baseline, measured once for every run. */
  readonly rawRoundtripsPerS: number;
  /** Extra node flags of the orchestrator (CPU profiling). */
  readonly orchestratorNodeArgs: readonly string[];
  readonly debug: boolean;
}

/** One `BENCH` record (see BENCHMARKS.md for the meaning of each key). */
export type BenchRecord = Record<string, string | number>;

const APPEND_SUMMARY = 'baton_store_append_duration_seconds';

/**
 * Runs the orchestrator on `store` and the five sample services as separate processes, pushes the
 * orders through and returns the `BENCH` record; every process it started is stopped again.
 */
export async function runOrderFlow(settings: RunSettings): Promise<BenchRecord> {
  const dir = tempDir(`bench-${settings.store}`);
  const handles: ChildHandle[] = [];
  try {
    const store = await provideStore(settings.store, dir);
    handles.push(...store.handles);
    const env = { ...store.env, BATON_NATS_URL: settings.natsUrl, BATON_LOG_LEVEL: 'warn' };
    const orchestrator = await startOrchestrator({ dataDir: dir, env, nodeArgs: [...settings.orchestratorNodeArgs] });
    handles.push(orchestrator.handle);
    handles.push(
      ...(await startSampleServices({
        apiUrl: orchestrator.api.baseUrl,
        logDir: path.join(dir, 'logs'),
        env: { BATON_NATS_URL: settings.natsUrl, SAMPLE_CONCURRENCY: String(settings.inFlight), PAYMENT_CONFIRM_DELAY_MS: '0' },
      })),
    );
    await orchestrator.api.registerSampleFlow();

    log(`Baton on ${settings.store}: ${settings.orders} orders, ${settings.inFlight} in flight…`);
    const drive = await driveOrders(orchestrator.api, settings.natsUrl, settings.orders, settings.inFlight);
    const metrics = (await orchestrator.api.request('GET', '/metrics')).text;
    // Where the machine's CPU went (all processes share its cores): stderr only, the record stays as it is.
    log(`  CPU seconds: ${handles.filter((handle) => handle.running).map((handle) => `${handle.name} ${round(cpuSeconds(handle.process.pid!))}`).join(', ')}`);
    if (settings.debug) await logDebug(orchestrator, metrics, drive);
    return record(settings, drive, metrics, peakRssMb(orchestrator.handle.process.pid!));
  } finally {
    // The orchestrator and services before the store they write to.
    await stopAll(handles.reverse());
  }
}

function record(settings: RunSettings, drive: DriveResult, metrics: string, orchestratorRssMb: number): BenchRecord {
  const sorted = [...drive.latenciesMs].sort((a, b) => a - b);
  const taskRate = drive.workerTasks / drive.seconds;
  const appendMs = (quantile: string) => round((summaryQuantile(metrics, APPEND_SUMMARY, quantile) ?? 0) * 1000, 2);
  return {
    store: settings.store,
    orders: settings.orders,
    in_flight: settings.inFlight,
    completed: drive.statuses.get('COMPLETED') ?? 0,
    terminated: drive.statuses.get('TERMINATED') ?? 0,
    failed: drive.statuses.get('FAILED') ?? 0,
    duration_s: round(drive.seconds),
    executions_per_s: round(settings.orders / drive.seconds),
    task_executions_per_s: Math.round(taskRate),
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    raw_roundtrips_per_s: Math.round(settings.rawRoundtripsPerS),
    ratio: round(taskRate / settings.rawRoundtripsPerS, 3),
    orchestrator_peak_rss_mb: orchestratorRssMb,
    store_append_p50_ms: appendMs('0.5'),
    store_append_p99_ms: appendMs('0.99'),
    cpus: os.cpus().length,
    node: process.version,
  };
}

/** BENCH_DEBUG: command counters, the latency tail and the timeline of the slowest executions. */
async function logDebug(orchestrator: OrchestratorProcess, metrics: string, drive: DriveResult): Promise<void> {
  const lines = metrics.split('\n').filter((l) => /^baton_(commands_total|inbound_messages_total|publish_retries|http_request_duration_seconds_(sum|count)|nodejs_eventloop_lag_(p50|p99|max|mean)_seconds)/.test(l));
  log(lines.join('\n'));
  const sorted = [...drive.latenciesMs].sort((a, b) => a - b);
  log(`latency p90 ${percentile(sorted, 90)} p95 ${percentile(sorted, 95)} max ${sorted[sorted.length - 1]}`);
  for (const { id, ms } of drive.slow.slice(0, 5)) {
    const w = (await orchestrator.api.request('GET', `/api/workflow/${id}`)).json() as { createTime: number; tasks: { referenceTaskName: string; scheduledTime: number; endTime: number }[] };
    log(`${id} ${Math.round(ms)} ms: ${w.tasks.map((t) => `${t.referenceTaskName}@${t.scheduledTime - w.createTime}-${t.endTime - w.createTime}`).join(' ')}`);
  }
}
