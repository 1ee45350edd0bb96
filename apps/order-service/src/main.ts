import { TerminalError, createWorker, type TaskContext } from '@app/worker-sdk';
import { runWorkers } from '@app/samples';

interface OrderInput {
  orderId: string;
  items?: { sku: string; quantity: number; price: number }[];
  amount?: number;
}

/** validate_order: a well-formed order passes; a malformed one fails for good (no retry). */
export async function validateOrder(task: TaskContext<OrderInput>): Promise<Record<string, unknown>> {
  const { orderId, items, amount } = task.input;
  if (!Array.isArray(items) || items.length === 0) throw new TerminalError(`order ${orderId} has no items`);
  if (typeof amount !== 'number' || amount <= 0) throw new TerminalError(`order ${orderId} has no positive amount`);
  const total = items.reduce((sum, item) => sum + item.quantity * item.price, 0);
  task.log(`order ${orderId}: ${items.length} line(s), total ${total.toFixed(2)}`);
  return { valid: true, lines: items.length, total: Math.round(total * 100) / 100 };
}

if (require.main === module) {
  const concurrency = Number(process.env.SAMPLE_CONCURRENCY ?? 64);
  void runWorkers('order-service', [createWorker({ taskType: 'validate_order', handler: validateOrder, concurrency })]);
}
