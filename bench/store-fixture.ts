import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { orderFulfilmentWorkflow, orderTaskDefs } from '@app/samples';
import { decideHistory, storeHistories } from '@app/testing';
import { log } from './bench-stats';

/** Executions in the benchmark store (the order flow's accepted path: 27 events each). */
export const BENCH_EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 12_000);

/** A temp SQLite store of order-flow histories, hash-chained as the orchestrator writes them. */
export async function benchStore(): Promise<{ dir: string; file: string; events: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-bench-store-'));
  const file = path.join(dir, 'baton.db');
  const template = decideHistory(orderFulfilmentWorkflow, {
    executionId: 'template-execution-0000',
    taskDefs: Object.fromEntries(orderTaskDefs.map((taskDef) => [taskDef.name, taskDef])),
    input: { orderId: 'o-1', amount: 40, items: [{ sku: 'A-1', quantity: 2 }], customer: { email: 'ann@example.com', address: '1 Main St' } },
    outputs: { reserve_inventory: { reservationId: 'res-1' }, check_fraud: { verdict: 'accept' }, charge_payment: { paymentId: 'pay-1' }, wait_payment_confirmation: { confirmationId: 'c-1' }, ship_order: { trackingId: 'T-1' } },
  });
  const perExecution = template.decisions.flat().length;
  const store = new SqliteEventStore({ path: file });
  const started = performance.now();
  await storeHistories(store, template, BENCH_EXECUTIONS, { onBatch: (stored) => { if (stored % 2_000 === 0) log(`  stored ${stored} executions`); } });
  await store.close();
  log(`store: ${BENCH_EXECUTIONS} executions, ${BENCH_EXECUTIONS * perExecution} events, written in ${Math.round(performance.now() - started)} ms (${file})`);
  return { dir, file, events: BENCH_EXECUTIONS * perExecution };
}
