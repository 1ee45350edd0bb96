import { createHash } from 'node:crypto';
import { TerminalError, createWorker, type TaskContext } from '@app/worker-sdk';
import { runWorkers } from '@app/samples';

/** ship_order: books a shipment; the tracking id is derived from the order (idempotent on redelivery). No address: fails for good. */
export async function shipOrder(task: TaskContext<{ orderId: string; address?: string }>): Promise<Record<string, unknown>> {
  if (!task.input.address) throw new TerminalError(`order ${task.input.orderId} has no shipping address`);
  const trackingId = `TRK-${createHash('sha256').update(task.input.orderId).digest('hex').slice(0, 10).toUpperCase()}`;
  task.log(`shipping ${task.input.orderId} to ${task.input.address ?? 'unknown address'}`);
  return { trackingId, carrier: 'baton-post' };
}

if (require.main === module) {
  const concurrency = Number(process.env.SAMPLE_CONCURRENCY ?? 64);
  void runWorkers('shipping-service', [createWorker({ taskType: 'ship_order', handler: shipOrder, concurrency })]);
}
