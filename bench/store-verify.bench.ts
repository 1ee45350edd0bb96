// npm run bench:verify — `baton verify --all` on SQLite: every hash chain of a store re-checked in one pass.
import { rmSync } from 'node:fs';
import os from 'node:os';
import { verifyStore } from '@app/audit';
import { SqliteEventStore } from '@app/event-store';
import { log, round } from './bench-stats';
import { benchStore } from './store-fixture';

async function main(): Promise<void> {
  const { dir, file, events } = await benchStore();
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let run = 1; run <= 3; run += 1) {
    const store = new SqliteEventStore({ path: file, readOnly: true });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const report = await verifyStore(store);
    const ms = performance.now() - started;
    const cpuUsed = process.cpuUsage(cpu);
    await store.close();
    if (!report.valid || report.events !== events) throw new Error(`verify checked ${report.events} of ${events} events, valid: ${report.valid}`);
    rates.push(events / (ms / 1000));
    // Per CPU second too: the shared machine's load changes wall-clock rates from run to run.
    cpuRates.push(events / ((cpuUsed.user + cpuUsed.system) / 1e6));
    log(`run ${run}: ${events} events in ${Math.round(ms)} ms = ${Math.round(rates[rates.length - 1]!)} events/s (${Math.round(cpuRates[cpuRates.length - 1]!)} per CPU second)`);
  }
  rmSync(dir, { recursive: true, force: true });
  const best = Math.max(...rates);
  process.stdout.write(`BENCH ${JSON.stringify({ bench: 'store_verify', events, runs: rates.length, verify_events_per_s: Math.round(best), verify_median_events_per_s: Math.round([...rates].sort((a, b) => a - b)[1]!), verify_events_per_cpu_s: Math.round(Math.max(...cpuRates)), load_avg_1m: round(os.loadavg()[0]!), target_events_per_s: 100_000, met: best >= 100_000, rss_mb: round(process.memoryUsage().rss / 1024 / 1024) })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
