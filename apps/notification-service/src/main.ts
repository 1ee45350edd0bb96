import { createWorker, type TaskContext } from '@app/worker-sdk';
import { runWorkers } from '@app/samples';

/** notify_customer: "sends" the templated message (logged) and reports where it went. */
export async function notifyCustomer(task: TaskContext<{ orderId: string; template: string; customer?: { email?: string } }>): Promise<Record<string, unknown>> {
  const to = task.input.customer?.email ?? 'unknown';
  task.log(`${task.input.template} → ${to}`);
  return { notified: true, channel: 'email', to, template: task.input.template };
}

if (require.main === module) {
  const concurrency = Number(process.env.SAMPLE_CONCURRENCY ?? 64);
  void runWorkers('notification-service', [createWorker({ taskType: 'notify_customer', handler: notifyCustomer, concurrency })]);
}
