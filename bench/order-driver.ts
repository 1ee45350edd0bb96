import { connect, JSONCodec } from 'nats';
import { sampleOrder } from '@app/samples';
import type { BatonApi } from '../test/support/baton-api';
import { log } from './bench-stats';

/** Orders whose number is a multiple of this are rejected by the sample fraud check. */
export const REJECT_EVERY = 5;
/** Worker (SIMPLE) tasks per order: accepted ones run 6, rejected ones 4. */
const workerTasksOf = (n: number): number => (n % REJECT_EVERY === 0 ? 4 : 6);

/** What a drive measured: end-to-end latency of each order and how each ended. */
export interface DriveResult {
  readonly seconds: number;
  readonly workerTasks: number;
  /** Start request sent → `baton.execution.<status>` received, in ms, one per order. */
  readonly latenciesMs: readonly number[];
  readonly statuses: ReadonlyMap<string, number>;
  /** Executions that took more than 5 s (for BENCH_DEBUG). */
  readonly slow: readonly { readonly id: string; readonly ms: number }[];
}

/**
 * Pushes `orders` sample orders through Baton, keeping `inFlight` started and not yet ended (an
 * order ends when its `baton.execution.<status>` notification arrives on `natsUrl`).
 */
export async function driveOrders(api: BatonApi, natsUrl: string, orders: number, inFlight: number): Promise<DriveResult> {
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const codec = JSONCodec<{ executionId: string; status: string }>();
  const startedAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  const slow: { id: string; ms: number }[] = [];
  const statuses = new Map<string, number>();
  let onEnded: () => void = () => undefined;
  nc.subscribe('baton.execution.>', {
    callback: (error, message) => {
      if (error) return;
      const { executionId, status } = codec.decode(message.data);
      const started = startedAt.get(executionId);
      if (started === undefined) return;
      startedAt.delete(executionId);
      const ms = performance.now() - started;
      latenciesMs.push(ms);
      if (ms > 5_000) slow.push({ id: executionId, ms });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      onEnded();
    },
  });
  await nc.flush();

  const begin = performance.now();
  let next = 1;
  let workerTasks = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let open = 0;
      const launch = () => {
        while (open < inFlight && next <= orders) {
          const n = next++;
          open += 1;
          workerTasks += workerTasksOf(n);
          const sent = performance.now();
          api
            .startOrder(sampleOrder(n, { rejectEvery: REJECT_EVERY, prefix: 'bench' }))
            .then((id) => startedAt.set(id, sent))
            .catch(reject);
        }
      };
      onEnded = () => {
        open -= 1;
        if (latenciesMs.length === orders) resolve();
        else launch();
        if (latenciesMs.length % 1000 === 0) log(`  ${latenciesMs.length} done`);
      };
      launch();
    });
  } finally {
    await nc.close();
  }
  return { seconds: (performance.now() - begin) / 1000, workerTasks, latenciesMs, statuses, slow };
}
