import { Worker } from 'node:worker_threads';
import { JQ_WORKER_SOURCE } from './jq-worker.source';

/** Bounds of one jq evaluation. */
export interface JqLimits {
  /** Wall-clock time one query may run; past it the worker is killed and replaced. */
  readonly timeoutMs: number;
  /** Size the WebAssembly memory of the jq instance may grow to. */
  readonly memoryBytes: number;
}

/** 5 s and 128 MiB. */
export const DEFAULT_JQ_LIMITS: JqLimits = { timeoutMs: 5_000, memoryBytes: 128 * 1024 * 1024 };

/** Why a query produced no output. */
export type JqFailureKind = 'error' | 'timeout' | 'memory';

/** Every value the query emitted, or why it failed (jq's own message for an error). */
export type JqOutcome = { readonly ok: true; readonly results: readonly unknown[] } | { readonly ok: false; readonly kind: JqFailureKind; readonly message: string };

interface Job {
  readonly query: string;
  readonly input: string;
  readonly resolve: (outcome: JqOutcome) => void;
}

type WorkerReply = { readonly ready: true } | { readonly id: number; readonly ok: true; readonly output: string } | { readonly id: number; readonly ok: false; readonly message: string; readonly fatal?: true };

/**
 * Runs jq queries for JSON_JQ_TRANSFORM tasks in one worker thread, one query at a time (the
 * others queue), each bounded in time and memory. A query that overruns gets its worker killed;
 * the next query starts a fresh one.
 *
 * @example
 * const jq = new JqEngine();
 * await jq.run('.items | map(.price) | add', { items: [{ price: 2 }, { price: 3 }] }); // { ok: true, results: [5] }
 * await jq.close();
 */
export class JqEngine {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly queue: Job[] = [];
  private running = false;
  private nextId = 1;
  private closed = false;

  constructor(private readonly limits: JqLimits = DEFAULT_JQ_LIMITS) {}

  /** Runs `query` over `input`; never throws for anything the query does. */
  run(query: string, input: unknown): Promise<JqOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, kind: 'error', message: 'the jq engine is closed' });
    return new Promise((resolve) => {
      this.queue.push({ query, input: JSON.stringify(input ?? null), resolve });
      void this.drain();
    });
  }

  /** Stops the worker; queued queries fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, kind: 'error', message: 'the jq engine is closed' });
    await this.stopWorker();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) job.resolve(await this.execute(job));
    } finally {
      this.running = false;
    }
  }

  private async execute(job: Job): Promise<JqOutcome> {
    let worker: Worker;
    try {
      worker = await this.started();
    } catch (error) {
      await this.stopWorker();
      return { ok: false, kind: 'error', message: `jq could not start: ${error instanceof Error ? error.message : String(error)}` };
    }
    const id = this.nextId++;
    return new Promise<JqOutcome>((resolve) => {
      const settle = (outcome: JqOutcome, restart: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        if (restart) void this.stopWorker();
        resolve(outcome);
      };
      const timer = setTimeout(() => settle({ ok: false, kind: 'timeout', message: `jq query not evaluated within ${this.limits.timeoutMs} ms, interrupted` }, true), this.limits.timeoutMs);
      const onMessage = (reply: WorkerReply) => {
        if ('ready' in reply || reply.id !== id) return;
        if (reply.ok) settle(parseOutput(reply.output), false);
        // An abort leaves the instance unusable and the worker exits: replaced now, so the next
        // query never lands on the dying worker (and never reads its exit as its own failure).
        else if (reply.fatal) settle({ ok: false, kind: 'memory', message: 'jq exceeded its memory limit or aborted' }, true);
        else settle(failureOf(reply.message), false);
      };
      const onExit = () => settle({ ok: false, kind: 'memory', message: 'jq exceeded its memory limit or aborted' }, true);
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.postMessage({ id, query: job.query, input: job.input });
    });
  }

  private started(): Promise<Worker> {
    if (!this.worker) {
      const worker = new Worker(JQ_WORKER_SOURCE, { eval: true, workerData: { jqPath: require.resolve('jq-web'), memoryBytes: this.limits.memoryBytes } });
      worker.unref();
      this.worker = worker;
      this.ready = new Promise<void>((resolve, reject) => {
        const onMessage = (reply: WorkerReply) => {
          if (!('ready' in reply)) return;
          worker.off('message', onMessage);
          resolve();
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`jq worker exited with code ${code}`)));
      });
      worker.once('exit', () => {
        if (this.worker === worker) this.worker = undefined;
      });
    }
    const worker = this.worker;
    return this.ready!.then(() => worker);
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) await worker.terminate();
  }
}

/** `-c` prints one value per line (a newline inside a string is escaped). */
function parseOutput(output: string): JqOutcome {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  try {
    return { ok: true, results: lines.map((line) => JSON.parse(line) as unknown) };
  } catch (error) {
    return { ok: false, kind: 'error', message: `jq printed a value that is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** jq's own message (`jq: error …`), without the wrapper's exit-code line. */
function failureOf(message: string): JqOutcome {
  if (/memory/i.test(message)) return { ok: false, kind: 'memory', message: 'jq exceeded its memory limit' };
  const lines = message.split('\n').filter((line) => line.trim() !== '' && !/^Non-zero exit code/.test(line));
  return { ok: false, kind: 'error', message: lines.join('\n') || message };
}
