// npm run bench:transfer — `baton export` (SQLite → JSON lines) and `baton import` (JSON lines → a new SQLite store).
import { rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportStore, importStore, verifyImport } from '@app/audit';
import { SqliteEventStore } from '@app/event-store';
import { log, round } from './bench-stats';
import { benchStore } from './store-fixture';

/** Runs `work`, returning events per wall-clock second and per CPU second. */
async function measure(label: string, events: number, work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const rates = { wall: events / (ms / 1000), cpu: events / ((used.user + used.system) / 1e6) };
  log(`${label}: ${events} events in ${Math.round(ms)} ms = ${Math.round(rates.wall)} events/s (${Math.round(rates.cpu)} per CPU second)`);
  return rates;
}

async function main(): Promise<void> {
  const { dir, file, events } = await benchStore();
  const source = new SqliteEventStore({ path: file, readOnly: true });
  const jsonl = path.join(dir, 'export.jsonl');
  const gz = path.join(dir, 'export.jsonl.gz');
  const exported = await measure('export jsonl', events, () => exportStore(source, jsonl));
  const exportedGz = await measure('export jsonl.gz', events, () => exportStore(source, gz));
  await source.close();
  log(`file sizes: ${round(statSync(jsonl).size / 1e6)} MB plain, ${round(statSync(gz).size / 1e6)} MB gzip`);

  const target = new SqliteEventStore({ path: path.join(dir, 'imported.db') });
  const imported = await measure('import jsonl', events, () => importStore(target, jsonl));
  const verified = await measure('verify import', events, async () => {
    const report = await verifyImport(target, jsonl);
    if (!report.valid) throw new Error(`import verification failed: ${JSON.stringify(report)}`);
  });
  await target.close();
  const targetGz = new SqliteEventStore({ path: path.join(dir, 'imported-gz.db') });
  const importedGz = await measure('import jsonl.gz', events, () => importStore(targetGz, gz));
  await targetGz.close();
  rmSync(dir, { recursive: true, force: true });

  process.stdout.write(`BENCH ${JSON.stringify({
    bench: 'store_transfer',
    events,
    export_events_per_s: Math.round(exported.wall),
    export_gz_events_per_s: Math.round(exportedGz.wall),
    import_events_per_s: Math.round(imported.wall),
    import_gz_events_per_s: Math.round(importedGz.wall),
    import_verify_events_per_s: Math.round(verified.wall),
    export_events_per_cpu_s: Math.round(exported.cpu),
    import_events_per_cpu_s: Math.round(imported.cpu),
    target_events_per_s: 50_000,
    load_avg_1m: round(os.loadavg()[0]!),
  })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
