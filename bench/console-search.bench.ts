/**
 * `npm run bench:console`: how fast the console's executions page pages through 100,000 executions.
 *
 * Loads BENCH_EXECUTIONS (100,000) executions into a fresh read model through the real
 * execution-index projection (its own transactions, batches of 2,000 events; the events are built
 * in memory, not read from a store: this measures the read side), then runs the searches the page
 * makes — one page of results with the counts per status (`searchWithCounts`, what
 * `GET /api/executions` runs) — for the
 * first page, deep pages, a status filter, a workflow with an ascending sort, a sort by end time, a
 * one-day window and free text. Each query is run BENCH_REPEATS (40) times.
 *
 * BENCH_READ_MODEL: the read model (default a temporary SQLite file; `postgres://…?schema=x` for
 * PostgreSQL). Last line: `BENCH {json}` with `page_p50_ms`, `page_p99_ms` over every query.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { ExecutionEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { createReadModelDb, ExecutionIndex, ExecutionIndexProjection, type ExecutionSearch } from '@app/projections';
import { tempDir } from '../test/support/stack';
import { log, percentile, round } from './bench-stats';

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 100_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 40);
const WORKFLOWS = ['order_fulfilment', 'order_compensation', 'invoice', 'shipment_tracking', 'customer_onboarding'];
const SPAN_MS = 7 * 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

/** A deterministic pseudo-random sequence (mulberry32), so every run loads the same data. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One execution's events: started, a task run, and (nine times in ten) an end. */
function executionEvents(n: number, next: () => number): ExecutionEvent[] {
  const id = `exec-${String(n).padStart(7, '0')}`;
  const name = WORKFLOWS[n % WORKFLOWS.length]!;
  const at = T0 + Math.floor((n / EXECUTIONS) * SPAN_MS);
  const events: ExecutionEvent[] = [
    { type: 'ExecutionStarted', data: { executionId: id, definition: { name, version: 1 + (n % 2), tasks: [] }, taskDefs: {}, input: { orderId: `order-${n}`, amount: n % 500 }, correlationId: `cust-${n % 5_000}`, idempotencyKey: `order-${n}`, at } },
    { type: 'TaskScheduled', data: { taskId: `${id}-1`, taskRefName: 'step', taskDefName: 'step', taskType: 'SIMPLE', attempt: 1, input: {}, at: at + 5 } },
    { type: 'TaskCompleted', data: { taskId: `${id}-1`, output: { ok: true }, workerId: 'w-1', at: at + 40 } },
  ];
  const roll = next();
  const end = at + 50 + Math.floor(next() * 5_000);
  if (roll < 0.7) events.push({ type: 'ExecutionCompleted', data: { output: { ok: true }, at: end } });
  else if (roll < 0.8) events.push({ type: 'ExecutionFailed', data: { reason: 'no stock', output: {}, failedTaskRefName: 'step', at: end } });
  else if (roll < 0.9) events.push({ type: 'ExecutionTerminated', data: { reason: 'cancelled', output: {}, at: end } });
  return events;
}

async function main(): Promise<void> {
  const dir = tempDir('bench-console');
  const url = process.env.BENCH_READ_MODEL ?? `sqlite:${path.join(dir, 'read-model.db')}`;
  const readModel = await createReadModelDb(url);
  const projection = new ExecutionIndexProjection();
  const next = random(42);
  log(`loading ${EXECUTIONS.toLocaleString()} executions into ${readModel.dialect}…`);
  const loadStarted = performance.now();
  let batch: RecordedEvent[] = [];
  let commit = 0n;
  const flush = async () => {
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    await readModel.db.transaction().execute((trx) => projection.applyBatch(trx, events));
  };
  for (let n = 0; n < EXECUTIONS; n += 1) {
    executionEvents(n, next).forEach((event, revision) => {
      commit += 1n;
      batch.push({ streamName: `execution-exec-${String(n).padStart(7, '0')}`, id: `${n}-${revision}`, type: event.type, revision: BigInt(revision), position: { commit, prepare: commit }, data: event.data, metadata: {}, created: new Date(event.data.at) });
    });
    if (batch.length >= 2_000) await flush();
  }
  await flush();
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  log(`loaded in ${loadSeconds.toFixed(1)} s`);

  const index = new ExecutionIndex(readModel.db, readModel.dialect);
  const pick = random(7);
  const day = T0 + 3 * 86_400_000;
  const cases: Record<string, () => ExecutionSearch> = {
    first_page: () => ({ start: 0, size: 25 }),
    deep_page: () => ({ start: Math.floor(pick() * (EXECUTIONS - 25)), size: 25 }),
    status_failed: () => ({ status: ['FAILED'], start: Math.floor(pick() * 9_000), size: 25 }),
    workflow_oldest_first: () => ({ workflowName: 'invoice', sort: 'createdAt:ASC', start: Math.floor(pick() * 19_000), size: 25 }),
    sort_by_end: () => ({ sort: 'endedAt:DESC', start: Math.floor(pick() * 50_000), size: 25 }),
    one_day_window: () => ({ createdFrom: day, createdTo: day + 86_400_000, start: Math.floor(pick() * 14_000), size: 25 }),
    free_text: () => ({ freeText: `cust-${Math.floor(pick() * 5_000)}`, start: 0, size: 25 }),
  };
  const all: number[] = [];
  const perCase: Record<string, number> = {};
  for (const [name, search] of Object.entries(cases)) {
    const times: number[] = [];
    for (let repeat = 0; repeat < REPEATS + 2; repeat += 1) {
      const query = search();
      const started = performance.now();
      const page = await index.searchWithCounts(query);
      const elapsed = performance.now() - started;
      if (page.results.length === 0 && page.totalHits > 0) throw new Error(`${name}: an empty page of ${page.totalHits} hits`);
      if (repeat >= 2) times.push(elapsed); // the first two warm the page cache and the statement cache
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    perCase[`${name}_p50_ms`] = round(percentile(times, 50));
    log(`${name.padEnd(22)} p50 ${percentile(times, 50).toFixed(1)} ms  p99 ${percentile(times, 99).toFixed(1)} ms`);
  }
  all.sort((a, b) => a - b);
  await readModel.close();
  rmSync(dir, { recursive: true, force: true });
  const result = {
    executions: EXECUTIONS,
    read_model: readModel.dialect,
    load_s: round(loadSeconds),
    page_p50_ms: round(percentile(all, 50)),
    page_p99_ms: round(percentile(all, 99)),
    ...perCase,
  };
  process.stdout.write(`BENCH ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
