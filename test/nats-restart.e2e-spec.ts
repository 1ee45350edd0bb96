import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { simple, workflow } from '@app/domain';
import { waitFor } from '@app/testing/wait-for';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import { eventsOf, register, start } from './support/flows';
import { waitForAllEnded } from './support/order-run';
import { spawnNatsServer } from './support/nats-server-process';
import { freePort, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

const EXECUTIONS = 60;
const STEPS = workflow('nats_restart_flow').tasks(simple('counted_step', 'one'), simple('counted_step', 'two'), simple('counted_step', 'three')).build();

/** A nats-server this suite owns: its own port and store directory, so it can be restarted with its data. */
class OwnNatsServer {
  private child?: ChildProcess;

  constructor(
    readonly port: number,
    private readonly storeDir: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = await spawnNatsServer(this.port, this.storeDir);
  }

  /** SIGKILL: the server gets no chance to flush or say goodbye. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

describe('NATS restart: the nats-server is killed with SIGKILL in the middle of a run and restarted with its store', () => {
  let dir: string;
  let nats: OwnNatsServer;
  let orchestrator: OrchestratorProcess | undefined;
  let worker: BatonWorker | undefined;
  const invocations = new Map<string, number>();

  beforeAll(async () => {
    dir = tempDir('nats-restart');
    nats = new OwnNatsServer(await freePort(), path.join(dir, 'nats'));
    await nats.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await stopAll([orchestrator?.handle]);
    await nats.kill9();
  });

  it('given executions running, when NATS restarts, then every execution completes and every task ran at the worker once (counted by task id)', async () => {
    orchestrator = await startOrchestrator({ dataDir: dir, name: 'orchestrator', env: { BATON_NATS_URL: nats.url } });
    const api = orchestrator.api;
    await register(api, [{ name: 'counted_step', retryCount: 0, responseTimeoutSeconds: 60 }], [STEPS]);
    worker = createWorker({
      taskType: 'counted_step',
      natsUrl: nats.url,
      concurrency: 16,
      handler: async (task) => {
        invocations.set(task.taskId, (invocations.get(task.taskId) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { step: task.taskRefName };
      },
    });
    await worker.start();

    const ids: string[] = [];
    const starting = (async () => {
      for (let i = 0; i < EXECUTIONS; i += 1) {
        ids.push(await start(api, STEPS.name, { n: i }));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    await waitFor('a third of the executions to be started and tasks to be running', () => ids.length >= EXECUTIONS / 3 && invocations.size >= 10, { timeoutMs: 30_000, intervalMs: 5 });
    await nats.kill9();
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // the outage itself: nothing to wait for
    await nats.start();
    await starting;

    const ended = await waitForAllEnded(api, ids, 60_000);
    expect([...ended.values()].filter((execution) => execution.status !== 'COMPLETED').map((execution) => execution.workflowId)).toEqual([]);
    const ranTwice = [...invocations].filter(([, count]) => count > 1).map(([taskId]) => taskId);
    expect(ranTwice).toEqual([]);
    for (const id of ids) {
      const history = await api.history(id);
      expect(eventsOf(history, 'TaskCompleted')).toHaveLength(3);
      for (const completed of eventsOf(history, 'TaskCompleted')) expect(invocations.get(String(completed.data.taskId))).toBe(1);
    }
  });
});
