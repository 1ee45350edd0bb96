// The same SDK from an ES module (test/packages.e2e-spec.ts). Task pkg_count: counts letters.
import { createWorker } from '@baton/worker-sdk';

const worker = createWorker({
  taskType: 'pkg_count',
  natsUrl: process.env.BATON_NATS_URL,
  workerId: 'packaged-esm-worker',
  handler: (task) => ({ letters: task.input.text.length }),
});

await worker.start();
console.log('worker ready');
process.once('SIGTERM', () => void worker.stop().then(() => process.exit(0)));
