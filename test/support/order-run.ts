import { sampleOrder } from '@app/samples';
import { duplicatedTransitions, type BatonApi, type ConductorWorkflow } from './baton-api';
import { waitFor } from '@app/testing/wait-for';

/** Orders whose number is a multiple of this are rejected by the sample fraud check. */
export const REJECT_EVERY = 5;

/** Starts `count` sample orders, `parallel` requests at a time; returns execution ids by order number. */
export async function startOrders(
  api: BatonApi,
  count: number,
  options: { parallel?: number; prefix?: string; from?: number; reliable?: boolean; onStarted?: (started: number) => void } = {},
): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  const numbers = Array.from({ length: count }, (_, i) => (options.from ?? 1) + i);
  const parallel = options.parallel ?? 16;
  for (let i = 0; i < numbers.length; i += parallel) {
    await Promise.all(
      numbers.slice(i, i + parallel).map(async (n) => {
        const order = sampleOrder(n, { rejectEvery: REJECT_EVERY, prefix: options.prefix });
        ids.set(n, options.reliable ? await api.startOrderReliably(order) : await api.startOrder(order));
        options.onStarted?.(ids.size);
      }),
    );
  }
  return ids;
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'TERMINATED', 'TIMED_OUT']);

/** Waits until every execution has ended; returns their final Conductor views. */
export async function waitForAllEnded(api: BatonApi, ids: Iterable<string>, timeoutMs = 120_000): Promise<Map<string, ConductorWorkflow>> {
  const done = new Map<string, ConductorWorkflow>();
  const all = [...ids];
  await waitFor(
    `${all.length} executions to end`,
    async () => {
      const open = all.filter((id) => !done.has(id));
      for (let i = 0; i < open.length; i += 50) {
        await Promise.all(
          open.slice(i, i + 50).map(async (id) => {
            const workflow = await api.workflow(id);
            if (TERMINAL.has(workflow.status)) done.set(id, workflow);
          }),
        );
      }
      return done.size === all.length;
    },
    { timeoutMs, intervalMs: 250 },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)} (${done.size}/${all.length} ended)`);
  });
  return done;
}

/** What each order should end as: rejected ones TERMINATED by the fraud branch, the rest COMPLETED through the payment signal. */
export function orderOutcomeProblems(orderNumber: number, workflow: ConductorWorkflow): string[] {
  const problems: string[] = [];
  const byRef = new Map(workflow.tasks.map((task) => [task.referenceTaskName, task]));
  if (orderNumber % REJECT_EVERY === 0) {
    if (workflow.status !== 'TERMINATED') problems.push(`order ${orderNumber}: expected TERMINATED, got ${workflow.status}`);
    if (workflow.output.status !== 'REJECTED') problems.push(`order ${orderNumber}: output status ${String(workflow.output.status)}`);
    if (byRef.get('notify_rejected')?.status !== 'COMPLETED') problems.push(`order ${orderNumber}: customer not notified of the rejection`);
    if (byRef.has('charge_payment')) problems.push(`order ${orderNumber}: a rejected order was charged`);
  } else {
    if (workflow.status !== 'COMPLETED') problems.push(`order ${orderNumber}: expected COMPLETED, got ${workflow.status}`);
    const confirmation = byRef.get('wait_payment_confirmation');
    if (confirmation?.status !== 'COMPLETED' || typeof confirmation.outputData.confirmationId !== 'string') {
      problems.push(`order ${orderNumber}: not completed through the payment signal (${JSON.stringify(confirmation)})`);
    }
    if (typeof workflow.output.trackingId !== 'string') problems.push(`order ${orderNumber}: no tracking id in the output`);
  }
  return problems;
}

/** Checks every execution's outcome and history; returns all problems found. */
export async function verifyOrders(api: BatonApi, ids: Map<number, string>, ended: Map<string, ConductorWorkflow>): Promise<string[]> {
  const problems: string[] = [];
  for (const [n, id] of ids) {
    problems.push(...orderOutcomeProblems(n, ended.get(id)!));
    const duplicates = duplicatedTransitions(await api.history(id));
    if (duplicates.length > 0) problems.push(`order ${n} (${id}): duplicated transitions ${duplicates.join(', ')}`);
  }
  return problems;
}
