// A worker of a service outside the Baton repository, CommonJS, with @baton/worker-sdk installed
// from its tarball (test/packages.e2e-spec.ts). Task pkg_shout: upper-cases `text`.
const { createWorker, TerminalError } = require('@baton/worker-sdk');

const worker = createWorker({
  taskType: 'pkg_shout',
  natsUrl: process.env.BATON_NATS_URL,
  workerId: 'packaged-cjs-worker',
  handler: async (task) => {
    if (typeof task.input.text !== 'string') throw new TerminalError('input.text must be a string');
    task.log(`shouting ${task.input.text}`);
    await task.heartbeat();
    return { shouted: task.input.text.toUpperCase() };
  },
});

worker.start().then(
  () => console.log('worker ready'),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
process.once('SIGTERM', () => void worker.stop().then(() => process.exit(0)));
