/**
 * The worker thread that runs jq (the real jq 1.7, compiled to WebAssembly by the `jq-web`
 * package). jq runs synchronously and an expression can loop or allocate without end, so it
 * never runs on the orchestrator's event loop: the engine kills this worker at its deadline.
 * Memory is bounded by refusing to grow the WebAssembly memory past the limit (jq then fails
 * with an allocation error instead of taking the host down). After an abort the instance is
 * unusable, so the worker exits and the engine starts a fresh one.
 * Plain JavaScript run with `eval`, so it needs no compiled file of its own.
 */
export const JQ_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const grow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function (pages) {
  if (this.buffer.byteLength + pages * 65536 > workerData.memoryBytes) throw new RangeError('jq exceeded its memory limit');
  return grow.call(this, pages);
};
require(workerData.jqPath).then((jq) => {
  parentPort.on('message', ({ id, query, input }) => {
    try {
      parentPort.postMessage({ id, ok: true, output: jq.raw(input, query, ['-c']) ?? '' });
    } catch (error) {
      const message = String((error && error.message) || error);
      const fatal = /Aborted|RuntimeError|memory/.test(message);
      parentPort.postMessage(fatal ? { id, ok: false, message, fatal: true } : { id, ok: false, message });
      if (fatal) process.exit(1);
    }
  });
  parentPort.postMessage({ ready: true });
});
`;
