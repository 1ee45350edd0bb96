import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Events, type Msg, type NatsConnection } from 'nats';
import { simple, workflow } from '@app/domain';
import { closeNats, connectNats, DLQ_SUBJECT_PREFIX, Headers, resultSubject, taskSubject } from '@app/messaging';
import { NatsServerProcess } from '@app/messaging/testing/nats-server-process';
import { RecordingLogger } from '@app/messaging/testing/recording-logger';
import { waitFor } from '@app/testing/wait-for';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import { repoRoot } from './support/child-process';
import { register, start, waitForStatus } from './support/flows';
import { freePort, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

/** The documented example (docs/nats-permissions.md), run as it is. */
const EXAMPLE = path.join(repoRoot(), 'examples/nats/baton-permissions.conf');
const encoder = new TextEncoder();

describe('NATS permissions: a worker of type X takes and completes only X’s tasks (examples/nats/baton-permissions.conf)', () => {
  let dir: string;
  let nats: NatsServerProcess;
  let orchestrator: OrchestratorProcess;
  const workers: BatonWorker[] = [];
  const url = (user: string, password: string): string => `nats://${user}:${password}@127.0.0.1:${nats.port}`;
  const chargeWorkerUrl = (): string => url('worker-charge_card', 'change-me-charge_card');

  beforeAll(async () => {
    dir = tempDir('nats-permissions');
    nats = new NatsServerProcess(await freePort(), { config: readFileSync(EXAMPLE, 'utf8'), logFile: path.join(dir, 'nats-server.log') });
    await nats.start();
    orchestrator = await startOrchestrator({ dataDir: dir, env: { BATON_NATS_URL: url('orchestrator', 'change-me-orchestrator') } });
    await register(
      orchestrator.api,
      [
        { name: 'charge_card', retryCount: 0 },
        { name: 'ship_order', retryCount: 0 },
      ],
      [workflow('charge_flow').tasks(simple('charge_card', 'charge')).build(), workflow('ship_flow').tasks(simple('ship_order', 'ship')).build()],
    );
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await stopAll([orchestrator?.handle]);
    await nats?.dispose();
  });

  function worker(taskType: string, natsUrl: string, inboxPrefix: string): BatonWorker {
    const created = createWorker({ taskType, natsUrl, natsSecurity: { inboxPrefix }, streams: false, handler: async () => ({ by: `${taskType} worker` }) });
    workers.push(created);
    return created;
  }

  /** A connection with the charge_card worker's credentials, recording the permission violations the server reports (`publish <subject>`, `subscription <subject>`). */
  async function chargeWorkerConnection(): Promise<{ connection: NatsConnection; violations: string[] }> {
    const connection = await connectNats({ url: chargeWorkerUrl(), security: { inboxPrefix: '_INBOX_charge_card' }, connectionOptions: { timeout: 5_000 } });
    const violations: string[] = [];
    void (async () => {
      for await (const status of connection.status()) {
        const context = (status as { permissionContext?: { operation: string; subject: string } }).permissionContext;
        if (status.type === Events.Error && context) violations.push(`${context.operation} ${context.subject}`);
      }
    })();
    return { connection, violations };
  }

  it('given the charge_card worker’s credentials, when a charge_flow runs, then its worker takes and completes the task', async () => {
    await worker('charge_card', chargeWorkerUrl(), '_INBOX_charge_card').start();

    const id = await start(orchestrator.api, 'charge_flow');

    const completed = await waitForStatus(orchestrator.api, id, 'COMPLETED');
    expect(completed.output).toEqual({ by: 'charge_card worker' });
  });

  it('given a pending ship_order task, when the charge_card credentials try to consume, read or complete it, then the server refuses each and the task stays pending until the ship_order worker completes it', async () => {
    const id = await start(orchestrator.api, 'ship_flow');
    const shipTask = await waitFor('the ship task scheduled', async () => (await orchestrator.api.workflow(id)).tasks.find((task) => task.status === 'SCHEDULED'));
    const { connection, violations } = await chargeWorkerConnection();
    const deadLetters: Msg[] = [];
    const observer = await connectNats({ url: url('orchestrator', 'change-me-orchestrator'), security: {} });
    observer.subscribe(`${DLQ_SUBJECT_PREFIX}>`, { callback: (error, message) => void (error ? undefined : deadLetters.push(message)) });
    await observer.flush();
    try {
      // Take: a ship_order worker on the charge_card credentials cannot create or bind the ship_order durable.
      const impostorLog = new RecordingLogger();
      const impostor = createWorker({ taskType: 'ship_order', connection, streams: false, logger: impostorLog, handler: async () => ({ by: 'impostor' }) });
      const impostorStarting = impostor.start();
      await waitFor('the ship_order durable refused to the charge_card user', () =>
        violations.some((violation) => violation.startsWith('publish $JS.API.CONSUMER.CREATE.BATON_TASKS.baton-worker-ship_order')),
      );
      await impostor.stop();
      await expect(impostorStarting).rejects.toThrow(/stopped before it started/);
      // The worker says why it cannot start, naming the subject its NATS user lacks.
      expect(impostorLog.messages('error')).toContainEqual(expect.stringMatching(/NATS refused publish on "\$JS\.API\.CONSUMER\.CREATE\.BATON_TASKS\.baton-worker-ship_order\..*" \(permissions violation\)/));
      // Read: a plain subscription to ship_order commands.
      const sniffed: Msg[] = [];
      connection.subscribe(taskSubject('ship_order'), { callback: (error, message) => void (error ? undefined : sniffed.push(message)) });
      // Complete, on the ship_order subject: refused by the server.
      const forged = { taskId: shipTask.taskId, executionId: id, attempt: 1, status: 'COMPLETED', output: { by: 'impostor' }, workerId: 'impostor' };
      await expect(connection.jetstream().publish(resultSubject('ship_order'), encoder.encode(JSON.stringify(forged)), { timeout: 2_000 })).rejects.toThrow();
      // Complete, on its own subject: accepted by the server, refused by Baton (the task is not a charge_card task).
      await connection.jetstream().publish(resultSubject('charge_card'), encoder.encode(JSON.stringify(forged)), { msgID: `forged-${id}` });

      await waitFor('permission violations for the subscription and the publish', () =>
        violations.includes(`subscription ${taskSubject('ship_order')}`) && violations.includes(`publish ${resultSubject('ship_order')}`),
      );
      const letter = await waitFor('the result sent as charge_card dead-lettered', () => deadLetters.find((message) => message.headers?.get(Headers.DlqOriginMsgId) === `forged-${id}`));
      expect(letter.headers?.get(Headers.DlqCode)).toBe('TASK_TYPE_MISMATCH');
      expect(sniffed).toEqual([]);
      const untouched = await orchestrator.api.workflow(id);
      expect(untouched.status).toBe('RUNNING');
      expect(untouched.tasks.map((task) => task.status)).toEqual(['SCHEDULED']);

      await worker('ship_order', url('worker-ship_order', 'change-me-ship_order'), '_INBOX_ship_order').start();
      const completed = await waitForStatus(orchestrator.api, id, 'COMPLETED');
      expect(completed.output).toEqual({ by: 'ship_order worker' });
    } finally {
      await closeNats(connection, { drain: false });
      await closeNats(observer, { drain: false });
    }
  });
});
