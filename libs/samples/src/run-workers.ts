import type { BatonWorker } from '@app/worker-sdk';

/**
 * Starts workers and stops them gracefully (in-flight tasks finish) on SIGTERM or SIGINT.
 *
 * @example
 * await runWorkers('inventory-service', [createWorker({ taskType: 'reserve_inventory', handler })]);
 */
export async function runWorkers(service: string, workers: readonly BatonWorker[], onStop: () => Promise<void> = async () => undefined): Promise<void> {
  await Promise.all(workers.map((worker) => worker.start()));
  console.log(JSON.stringify({ level: 'info', service, msg: `${service} ready`, taskTypes: workers.map((w) => w.taskType) }));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ level: 'info', service, msg: `${signal}: finishing in-flight tasks` }));
    await Promise.all(workers.map((worker) => worker.stop()));
    await onStop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
