import { createHash } from 'node:crypto';
import { createWorker, type TaskContext } from '@app/worker-sdk';
import { runWorkers } from '@app/samples';

interface ReserveInput {
  orderId: string;
  items: { sku: string; quantity: number }[];
}

/** reserve_inventory: reserves every line; the reservation id is derived from the order, so a redelivered command reserves nothing twice. */
export async function reserveInventory(task: TaskContext<ReserveInput>): Promise<Record<string, unknown>> {
  const reservationId = `res-${createHash('sha256').update(task.input.orderId).digest('hex').slice(0, 12)}`;
  task.log(`reserved ${task.input.items.length} line(s) for ${task.input.orderId}`);
  return { reservationId, reserved: task.input.items.map((item) => ({ sku: item.sku, quantity: item.quantity })) };
}

/** release_inventory: the compensation of reserve_inventory. */
export async function releaseInventory(task: TaskContext<{ orderId: string; reservationId?: string }>): Promise<Record<string, unknown>> {
  task.log(`released reservation ${task.input.reservationId ?? '(none)'} of ${task.input.orderId}`);
  return { released: true, reservationId: task.input.reservationId ?? null };
}

if (require.main === module) {
  const concurrency = Number(process.env.SAMPLE_CONCURRENCY ?? 64);
  void runWorkers('inventory-service', [
    createWorker({ taskType: 'reserve_inventory', handler: reserveInventory, concurrency }),
    createWorker({ taskType: 'release_inventory', handler: releaseInventory, concurrency }),
  ]);
}
