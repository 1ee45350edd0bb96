import path from 'node:path';
import { simple, workflow } from '@app/domain';
import { NatsServerProcess } from '@app/messaging/testing/nats-server-process';
import { createThrowawayTls, opensslAvailable, type ThrowawayTls } from '@app/messaging/testing/throwaway-tls';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import { register, start, waitForStatus } from './support/flows';
import { freePort, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

const describeTls = opensslAvailable() ? describe : describe.skip;

describeTls('orchestrator and worker over TLS with client certificates and a password (own nats-server, throwaway CA)', () => {
  let tls: ThrowawayTls;
  let nats: NatsServerProcess;
  let orchestrator: OrchestratorProcess | undefined;
  let worker: BatonWorker | undefined;

  beforeAll(async () => {
    tls = createThrowawayTls();
    nats = new NatsServerProcess(await freePort(), {
      config: `tls { cert_file: "${tls.serverCertFile}", key_file: "${tls.serverKeyFile}", ca_file: "${tls.caFile}", verify: true }
      authorization { users = [ { user: baton, password: "tls-and-password" } ] }`,
      logFile: path.join(tls.dir, 'nats-server.log'),
    });
    await nats.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await stopAll([orchestrator?.handle]);
    await nats?.dispose();
    tls?.dispose();
  });

  it('given the orchestrator configured by BATON_NATS_* variables and the worker by natsSecurity, when a workflow runs, then the orchestrator and the worker connect over TLS and complete it', async () => {
    const url = `tls://127.0.0.1:${nats.port}`;
    orchestrator = await startOrchestrator({
      dataDir: tempDir('nats-tls'),
      env: {
        BATON_NATS_URL: url,
        BATON_NATS_USER: 'baton',
        BATON_NATS_PASSWORD: 'tls-and-password',
        BATON_NATS_TLS_CA: tls.caFile,
        BATON_NATS_TLS_CERT: tls.clientCertFile,
        BATON_NATS_TLS_KEY: tls.clientKeyFile,
      },
    });
    await register(orchestrator.api, [{ name: 'sealed', retryCount: 0 }], [workflow('tls_flow').tasks(simple('sealed', 'sealed')).build()]);
    worker = createWorker({
      taskType: 'sealed',
      natsUrl: url,
      natsSecurity: { user: 'baton', password: 'tls-and-password', tlsCaFile: tls.caFile, tlsCertFile: tls.clientCertFile, tlsKeyFile: tls.clientKeyFile },
      handler: async () => ({ sealed: true }),
    });
    await worker.start();

    const id = await start(orchestrator.api, 'tls_flow');

    expect((await waitForStatus(orchestrator.api, id, 'COMPLETED')).output).toEqual({ sealed: true });
  });
});
